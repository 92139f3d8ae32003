/// A strict JSON parser (RFC 8259) for small untrusted documents: one value with optional white space
/// around it, UTF-8 only, no duplicate member names (RFC 7515 §4 lets a JOSE reader refuse them, and a
/// second `alg` or `exp` that another reader would take is how confusion attacks start), and a depth limit
/// so that `[[[[…` cannot exhaust the stack. The project has no Foundation, hence no JSONDecoder.
public struct JSONParser {
    public static let maximumDepth = 32

    private let bytes: [UInt8]
    private var position = 0

    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        guard String(validating: bytes, as: UTF8.self) != nil else { throw JSONParseError(offset: 0, reason: "not UTF-8") }
        var parser = JSONParser(bytes: bytes)
        parser.skipBlanks()
        let value = try parser.value(depth: 0)
        parser.skipBlanks()
        guard parser.position == bytes.count else { throw parser.failure("text after the value") }
        return value
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private mutating func value(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth < Self.maximumDepth else { throw failure("nested deeper than \(Self.maximumDepth)") }
        guard let byte = peek() else { throw failure("a value is missing") }
        switch byte {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default: return .number(try number())
        }
    }

    private mutating func object(depth: Int) throws(JSONParseError) -> JSONValue {
        position += 1
        var members: [String: JSONValue] = [:]
        skipBlanks()
        if peek() == UInt8(ascii: "}") { position += 1; return .object(members) }
        while true {
            skipBlanks()
            guard peek() == UInt8(ascii: "\"") else { throw failure("a member name must be a string") }
            let nameOffset = position
            let name = try string()
            skipBlanks()
            try expect(":")
            skipBlanks()
            let member = try value(depth: depth + 1)
            guard members.updateValue(member, forKey: name) == nil else {
                throw JSONParseError(offset: nameOffset, reason: "the member '\(name)' is given more than once")
            }
            skipBlanks()
            if peek() == UInt8(ascii: "}") { position += 1; return .object(members) }
            try expect(",")
        }
    }

    private mutating func array(depth: Int) throws(JSONParseError) -> JSONValue {
        position += 1
        var elements: [JSONValue] = []
        skipBlanks()
        if peek() == UInt8(ascii: "]") { position += 1; return .array(elements) }
        while true {
            skipBlanks()
            elements.append(try value(depth: depth + 1))
            skipBlanks()
            if peek() == UInt8(ascii: "]") { position += 1; return .array(elements) }
            try expect(",")
        }
    }

    private mutating func string() throws(JSONParseError) -> String {
        position += 1
        var scalars = String.UnicodeScalarView()
        var runStart = position
        func flushRun(upTo end: Int) {
            // The input was checked to be UTF-8, so a run without escapes decodes as it is.
            scalars.append(contentsOf: String(decoding: bytes[runStart..<end], as: UTF8.self).unicodeScalars)
        }
        while let byte = peek() {
            switch byte {
            case UInt8(ascii: "\""):
                flushRun(upTo: position)
                position += 1
                return String(scalars)
            case UInt8(ascii: "\\"):
                flushRun(upTo: position)
                position += 1
                scalars.append(try escape())
                runStart = position
            case 0..<0x20:
                throw failure("a control character must be escaped in a string")
            default:
                position += 1
            }
        }
        throw failure("a string is not closed")
    }

    private mutating func escape() throws(JSONParseError) -> Unicode.Scalar {
        guard let byte = peek() else { throw failure("a string is not closed") }
        position += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let unit = try hexUnit()
            if (0xD800..<0xDC00).contains(unit) {
                guard peek() == UInt8(ascii: "\\") else { throw failure("a lone high surrogate") }
                position += 1
                try expect("u")
                let low = try hexUnit()
                guard (0xDC00..<0xE000).contains(low) else { throw failure("a high surrogate without its low one") }
                return Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))!
            }
            guard let scalar = Unicode.Scalar(unit) else { throw failure("a lone low surrogate") }
            return scalar
        default:
            throw failure("an unknown escape")
        }
    }

    private mutating func hexUnit() throws(JSONParseError) -> UInt32 {
        var unit: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = peek(), let digit = byte.hexDigitValue else { throw failure("\\u needs 4 hex digits") }
            unit = unit << 4 | UInt32(digit)
            position += 1
        }
        return unit
    }

    /// The grammar is checked here; Double's own parser then only ever sees a valid JSON number.
    private mutating func number() throws(JSONParseError) -> Double {
        let start = position
        if peek() == UInt8(ascii: "-") { position += 1 }
        if peek() == UInt8(ascii: "0") {
            position += 1
        } else {
            guard skipDigits() > 0 else { throw JSONParseError(offset: start, reason: "not a JSON value") }
        }
        if peek() == UInt8(ascii: ".") {
            position += 1
            guard skipDigits() > 0 else { throw failure("a fraction needs digits") }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            position += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { position += 1 }
            guard skipDigits() > 0 else { throw failure("an exponent needs digits") }
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw JSONParseError(offset: start, reason: "a number out of range") }
        return value
    }

    private mutating func skipDigits() -> Int {
        let start = position
        while let byte = peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { position += 1 }
        return position - start
    }

    private mutating func literal(_ word: String) throws(JSONParseError) {
        let expected = word.utf8
        guard bytes.count - position >= expected.count, bytes[position..<position + expected.count].elementsEqual(expected) else {
            throw failure("not a JSON value")
        }
        position += expected.count
    }

    private mutating func expect(_ character: Unicode.Scalar) throws(JSONParseError) {
        guard peek() == UInt8(ascii: character) else { throw failure("'\(character)' expected") }
        position += 1
    }

    private mutating func skipBlanks() {
        while let byte = peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { position += 1 }
    }

    private func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    private func failure(_ reason: String) -> JSONParseError { JSONParseError(offset: position, reason: reason) }
}

/// Why a document is not JSON, and the byte offset where that was found.
public struct JSONParseError: Error, Equatable, Sendable, CustomStringConvertible {
    public var offset: Int
    public var reason: String

    public var description: String { "not JSON at byte \(offset): \(reason)" }
}
