/// Reads the values of a logical record's body in order, big-endian, each by its representation code.
/// Every read checks that the bytes are there, so a short record is an error that names its offset.
struct DLISCursor {
    let record: DLISLogicalRecord
    private(set) var position = 0

    init(_ record: DLISLogicalRecord) {
        self.record = record
    }

    var isAtEnd: Bool { position >= record.body.count }
    var remaining: Int { record.body.count - position }

    func error(_ reason: String) -> DLISError {
        DLISError(offset: record.fileOffset(at: position), reason: reason)
    }

    /// Checks that `count` bytes follow and steps over them, returning where they start.
    mutating func take(_ count: Int, for what: String) throws(DLISError) -> Int {
        guard count >= 0, count <= remaining else {
            throw error("\(record.kind) ends \(count - remaining) bytes short of \(what)")
        }
        defer { position += count }
        return position
    }

    func peek() -> UInt8? { isAtEnd ? nil : record.body[position] }

    mutating func byte(for what: String) throws(DLISError) -> UInt8 {
        record.body[try take(1, for: what)]
    }

    mutating func uint16(for what: String) throws(DLISError) -> UInt16 {
        let at = try take(2, for: what)
        return UInt16(record.body[at]) << 8 | UInt16(record.body[at + 1])
    }

    mutating func uint32(for what: String) throws(DLISError) -> UInt32 {
        let at = try take(4, for: what)
        return bigEndian32(at)
    }

    mutating func uint64(for what: String) throws(DLISError) -> UInt64 {
        let at = try take(8, for: what)
        return UInt64(bigEndian32(at)) << 32 | UInt64(bigEndian32(at + 4))
    }

    private func bigEndian32(_ at: Int) -> UInt32 {
        let body = record.body
        return UInt32(body[at]) << 24 | UInt32(body[at + 1]) << 16 | UInt32(body[at + 2]) << 8 | UInt32(body[at + 3])
    }

    /// UVARI: one, two or four bytes, as the top bits of the first say (0…, 10…, 11…).
    mutating func uvari(for what: String) throws(DLISError) -> Int {
        let first = try byte(for: what)
        switch first >> 6 {
        case 0, 1: return Int(first)
        case 2: return Int(first & 0x3F) << 8 | Int(try byte(for: what))
        default:
            let rest = Int(try byte(for: what)) << 16 | Int(try byte(for: what)) << 8 | Int(try byte(for: what))
            return Int(first & 0x3F) << 24 | rest
        }
    }

    /// IDENT and UNITS: a one-byte length, then the characters.
    mutating func ident(for what: String) throws(DLISError) -> String {
        return try text(Int(try byte(for: what)))
    }

    private mutating func text(_ count: Int) throws(DLISError) -> String {
        let at = try take(count, for: "text")
        return String(decoding: record.body[at..<at + count], as: UTF8.self)
    }

    mutating func obname(for what: String) throws(DLISError) -> DLISObjectName {
        let origin = try uvari(for: what)
        let copy = Int(try byte(for: what))
        let count = Int(try byte(for: what))
        return DLISObjectName(origin: origin, copy: copy, identifier: try text(count))
    }

    mutating func value(_ code: DLISRepresentationCode) throws(DLISError) -> DLISValue {
        let what = "a value in \(code.label)"
        switch code {
        case .fshort: return .real(DLISFloatFormats.fshort(try uint16(for: what)))
        case .fsingl: return .real(Double(Float(bitPattern: try uint32(for: what))))
        case .fsing1, .fsing2:
            let value = Double(Float(bitPattern: try uint32(for: what)))
            _ = try take(code == .fsing1 ? 4 : 8, for: "the bounds of \(what)")
            return .real(value)
        case .isingl: return .real(DLISFloatFormats.ibmSingle(try uint32(for: what)))
        case .vsingl:
            let at = try take(4, for: what)
            let body = record.body
            return .real(DLISFloatFormats.vaxSingle(body[at], body[at + 1], body[at + 2], body[at + 3]))
        case .fdoubl: return .real(Double(bitPattern: try uint64(for: what)))
        case .fdoub1, .fdoub2:
            let value = Double(bitPattern: try uint64(for: what))
            _ = try take(code == .fdoub1 ? 8 : 16, for: "the bounds of \(what)")
            return .real(value)
        case .csingl:
            let real = Float(bitPattern: try uint32(for: what))
            return .complex(real: Double(real), imaginary: Double(Float(bitPattern: try uint32(for: what))))
        case .cdoubl:
            let real = Double(bitPattern: try uint64(for: what))
            return .complex(real: real, imaginary: Double(bitPattern: try uint64(for: what)))
        case .sshort: return .integer(Int(Int8(bitPattern: try byte(for: what))))
        case .snorm: return .integer(Int(Int16(bitPattern: try uint16(for: what))))
        case .slong: return .integer(Int(Int32(bitPattern: try uint32(for: what))))
        case .ushort, .status: return .integer(Int(try byte(for: what)))
        case .unorm: return .integer(Int(try uint16(for: what)))
        case .ulong: return .integer(Int(try uint32(for: what)))
        case .uvari, .origin: return .integer(try uvari(for: what))
        case .ident, .units: return .text(try ident(for: what))
        case .ascii: return .text(try text(try uvari(for: what)))
        case .dtime: return .time(try dtime())
        case .obname: return .name(try obname(for: what))
        case .objref:
            let type = try ident(for: what)
            return .reference(type: type, name: try obname(for: what))
        case .attref:
            let type = try ident(for: what)
            let name = try obname(for: what)
            _ = try ident(for: "the label of \(what)")
            return .reference(type: type, name: name)
        }
    }

    /// DTIME: year since 1900, time zone and month in one byte, day, hour, minute, second, milliseconds.
    private mutating func dtime() throws(DLISError) -> String {
        let at = try take(8, for: "a DTIME value")
        let b = record.body
        let milliseconds = Int(b[at + 6]) << 8 | Int(b[at + 7])
        func two(_ n: UInt8) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let ms = milliseconds < 10 ? "00\(milliseconds)" : milliseconds < 100 ? "0\(milliseconds)" : "\(milliseconds)"
        return "\(1900 + Int(b[at]))-\(two(b[at + 1] & 0x0F))-\(two(b[at + 2])) "
            + "\(two(b[at + 3])):\(two(b[at + 4])):\(two(b[at + 5])).\(ms)"
    }

    /// `count` values of one channel in a frame. FSINGL, the code of most images, has its own loop.
    mutating func samples(_ code: DLISRepresentationCode, count: Int, channel: String) throws(DLISError) -> DLISSamples {
        // Every value takes at least a byte: this also keeps the sizes below from overflowing.
        guard count <= remaining else {
            throw error("\(record.kind) ends before the \(count) \(code.label) values of channel \(channel)")
        }
        if code == .fsingl {
            let at = try take(4 * count, for: "the \(count) FSINGL values of channel \(channel)")
            var values = [Float](repeating: 0, count: count)
            for i in 0..<count { values[i] = Float(bitPattern: bigEndian32(at + 4 * i)) }
            return .float(values)
        }
        if let size = code.size, size * count > remaining {
            throw error("\(record.kind) ends \(size * count - remaining) bytes short of the \(count) \(code.label) values of channel \(channel)")
        }
        var values: [Double] = []
        values.reserveCapacity(count)
        var numeric = true
        for _ in 0..<count {
            let value = try value(code)
            if let number = value.number { values.append(number) } else { numeric = false }
        }
        return numeric ? .double(values) : .notNumeric(count: count)
    }
}
