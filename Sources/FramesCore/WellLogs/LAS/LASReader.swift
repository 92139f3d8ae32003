/// A push reader for LAS 1.2 and 2.0 files: bytes go in, in chunks of any size; out come the header, once
/// ~A begins, then the depth steps one by one. Only the current partial line (and, in a wrapped file, the
/// current depth step) is kept, so memory stays flat however long the file.
///
/// Data values are separated by blanks, tabs or commas, whatever ~V's `DLM` says. A wrapped file's depth
/// step may run over several lines but must end at a line's end. An error ends the reading: the reader
/// must not be fed after it throws.
public final class LASReader {
    public enum Event: Equatable, Sendable {
        case header(LASHeader)
        case row(LASRow)
    }

    private enum Section {
        case beforeVersion, version, well, curves, parameters, other, unknown, data
    }

    public private(set) var header = LASHeader()
    private var section = Section.beforeVersion
    private var carry: [UInt8] = []
    private var lineNumber = 0
    /// A wrapped depth step's values so far, and the line it began on.
    private var pending: [Double] = []
    private var pendingLine = 0

    /// Longer than any header or data line of a real file: past it, the input is not LAS text.
    public static let maximumLineLength = 1 << 20

    /// ~O is free text for people: past this many lines it is not kept, so that the header stays small.
    public static let maximumOtherLines = 1000

    /// Whether the values after the depth are rounded to Float straight from their text.
    public let singlePrecision: Bool

    /// With `singlePrecision`, each value is the Float nearest its decimal text (as a Double, exactly):
    /// going through a Double first would round twice, and now and then land on the other Float.
    public init(singlePrecision: Bool = false) {
        self.singlePrecision = singlePrecision
    }

    public func feed(_ chunk: [UInt8]) throws(LASError) -> [Event] {
        try feed(chunk[...])
    }

    /// Not generic: a generic entry point would run unspecialized from another module, several times slower.
    public func feed(_ chunk: ArraySlice<UInt8>) throws(LASError) -> [Event] {
        var events: [Event] = []
        var start = chunk.startIndex
        while let newline = chunk[start...].firstIndex(of: 0x0A) {
            try keep(chunk[start..<newline])
            try line(into: &events)
            start = chunk.index(after: newline)
        }
        try keep(chunk[start...])
        return events
    }

    private func keep(_ bytes: ArraySlice<UInt8>) throws(LASError) {
        carry.append(contentsOf: bytes)
        guard carry.count <= Self.maximumLineLength else {
            throw LASError(line: lineNumber + 1, reason: "a line longer than \(Self.maximumLineLength) bytes: not LAS text")
        }
    }

    /// Ends the input: a last line without a newline still counts; a file cut inside ~A's depth step, or
    /// before ~A, is an error.
    public func finish() throws(LASError) -> [Event] {
        var events: [Event] = []
        if !carry.isEmpty { try line(into: &events) }
        switch section {
        case .beforeVersion:
            throw LASError(line: max(lineNumber, 1), reason: "not a LAS file: no ~V section")
        case .data:
            if !pending.isEmpty {
                throw LASError(line: lineNumber, reason: "the file ends inside the depth step of line \(pendingLine): "
                               + "expected \(header.curves.count) values, found \(pending.count)")
            }
        default:
            throw LASError(line: lineNumber, reason: "the file ends before its ~A section")
        }
        return events
    }

    private func line(into events: inout [Event]) throws(LASError) {
        lineNumber += 1
        defer { carry.removeAll(keepingCapacity: true) }
        guard let first = carry.first(where: { !$0.isBlank }), first != UInt8(ascii: "#") else { return }
        // Depth steps, nearly all of a file, are read from the bytes: no String is made of the line.
        if section == .data, first != UInt8(ascii: "~") {
            try data(into: &events)
            return
        }
        let text = String(decoding: carry, as: UTF8.self)
        let trimmed = Substring(text).trimmingBlanks
        if trimmed.first == "~" {
            try startSection(trimmed, into: &events)
            return
        }
        switch section {
        case .beforeVersion:
            throw LASError(line: lineNumber, reason: "expected the ~V section that starts a LAS file")
        case .version: try version(LASHeaderItem(line: trimmed, number: lineNumber))
        case .well: header.well.append(try wellItem(LASHeaderItem(line: trimmed, number: lineNumber)))
        case .curves: header.curves.append(try LASHeaderItem(line: trimmed, number: lineNumber))
        case .parameters: header.parameters.append(try LASHeaderItem(line: trimmed, number: lineNumber))
        case .other:
            if header.other.count < Self.maximumOtherLines { header.other.append(String(trimmed)) }
        case .unknown: return
        case .data: return
        }
    }

    private func startSection(_ line: Substring, into events: inout [Event]) throws(LASError) {
        let letter = line.dropFirst().first.map { Character($0.uppercased()) }
        if section == .beforeVersion, letter != "V" {
            throw LASError(line: lineNumber, reason: "expected the ~V section first, found `\(line.prefix(20))`")
        }
        if section == .data {
            throw LASError(line: lineNumber, reason: "a section after ~A, which must be the last")
        }
        switch letter {
        case "V": section = .version
        case "W": section = .well
        case "C": section = .curves
        case "P": section = .parameters
        case "O": section = .other
        case "A":
            guard !header.curves.isEmpty else {
                throw LASError(line: lineNumber, reason: "~A before any curve: ~C must name the depth and the curves")
            }
            section = .data
            events.append(.header(header))
        default: section = .unknown
        }
    }

    private func version(_ item: LASHeaderItem) throws(LASError) {
        switch item.mnemonic.uppercased() {
        case "VERS":
            guard let number = Double(item.value), number >= 1, number < 3 else {
                throw LASError(line: lineNumber, reason: "LAS version `\(item.value)`: this reader reads 1.2 and 2.0")
            }
            header.version = item.value
        case "WRAP":
            switch item.value.uppercased() {
            case "YES": header.wrap = true
            case "NO": header.wrap = false
            default: throw LASError(line: lineNumber, reason: "WRAP is `\(item.value)`: expected YES or NO")
            }
        default: return
        }
    }

    /// LAS 1.2 writes a well item's value after the colon and a description before it: the other way round.
    private func wellItem(_ item: LASHeaderItem) -> LASHeaderItem {
        guard header.version.hasPrefix("1"), !["STRT", "STOP", "STEP", "NULL"].contains(item.mnemonic.uppercased()) else {
            return item
        }
        var swapped = item
        (swapped.value, swapped.description) = (item.description, item.value)
        return swapped
    }

    private func data(into events: inout [Event]) throws(LASError) {
        let width = header.curves.count
        if pending.isEmpty { pendingLine = lineNumber }
        func isSeparator(_ byte: UInt8) -> Bool { byte.isBlank || byte == UInt8(ascii: ",") }
        // A local copy (shared, not copied) spares the exclusivity checks of the property on every byte.
        let bytes = carry
        var at = 0
        while at < bytes.count {
            while at < bytes.count, isSeparator(bytes[at]) { at += 1 }
            guard at < bytes.count else { break }
            let start = at
            while at < bytes.count, !isSeparator(bytes[at]) { at += 1 }
            let token = String(decoding: bytes[start..<at], as: UTF8.self)
            let isDepth = pending.isEmpty
            guard let value = singlePrecision && !isDepth ? Float(token).map(Double.init) : Double(token) else {
                let curve = pending.count < width ? " (\(header.curves[pending.count].mnemonic))" : ""
                throw LASError(line: lineNumber, reason: "value \(pending.count + 1)\(curve) is not a number: `\(token.prefix(40))`")
            }
            guard pending.count < width else {
                let how = header.wrap ? "a wrapped depth step must end at a line's end" : "one line a depth step (WRAP. NO)"
                throw LASError(line: lineNumber, reason: "more than the \(width) values of the curves in ~C: \(how)")
            }
            pending.append(value)
        }
        if pending.count < width {
            guard header.wrap else {
                throw LASError(line: lineNumber, reason: "expected \(width) values, one per curve in ~C, found \(pending.count)")
            }
            return
        }
        guard pending[0].isFinite else {
            throw LASError(line: pendingLine, reason: "the depth `\(pending[0])` is not a finite number")
        }
        events.append(.row(LASRow(line: pendingLine, depth: pending[0], values: Array(pending[1...]))))
        pending.removeAll(keepingCapacity: true)
    }
}
