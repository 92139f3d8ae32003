/// A streaming parser for image-log CSVs: `depth,col1..colN`, then one row of N pixels per depth.
///
/// Bytes arrive in chunks of any size and only the current partial line is kept, so memory stays flat
/// however long the file is (apart from the set of depths seen, needed to refuse duplicates).
/// Each data line is handed over as a row or as the error that makes it invalid; the caller decides
/// whether an error rejects the file or only skips the line.
public final class ImageLogParser {
    public enum Line {
        case row(ImageLogRow)
        case invalid(CSVDataError)
    }

    public private(set) var columnNames: [String] = []
    /// Number of pixel columns, known once the header has been read.
    public var width: Int? { columnNames.isEmpty ? nil : columnNames.count - 1 }
    /// Rows whose cells are all empty (the challenge file ends with one): skipped, but counted.
    public private(set) var emptyRowsSkipped = 0
    public private(set) var linesRead = 0

    private var carry: [UInt8] = []
    private var seenDepths = Set<Double>()
    /// Where the next line starts in the file: each line is followed by its one newline byte.
    private var nextLineOffset = 0

    public init() {}

    /// The complete lines of `chunk`, parsed; a partial last line waits for the next chunk. Throws
    /// only for a bad header, which makes every row meaningless.
    public func feed(_ chunk: UnsafeRawBufferPointer) throws(CSVDataError) -> [Line] {
        let bytes = chunk.bindMemory(to: UInt8.self)
        var lines: [Line] = []
        var lineStart = 0
        while let newline = firstNewline(in: bytes, from: lineStart) {
            if carry.isEmpty {
                try consume(UnsafeBufferPointer(rebasing: bytes[lineStart..<newline]), into: &lines)
            } else {
                carry.append(contentsOf: bytes[lineStart..<newline])
                let line = carry
                carry.removeAll(keepingCapacity: true)
                try consume(line, into: &lines)
            }
            lineStart = newline + 1
        }
        carry.append(contentsOf: bytes[lineStart...])
        return lines
    }

    public func feed(_ chunk: [UInt8]) throws(CSVDataError) -> [Line] {
        // `withUnsafeBytes` rethrows untyped errors: the typed one travels out in a Result.
        try chunk.withUnsafeBytes { bytes in Result { () throws(CSVDataError) in try feed(bytes) } }.get()
    }

    /// Ends the input: a last line without a newline still counts.
    public func finish() throws(CSVDataError) -> [Line] {
        var lines: [Line] = []
        if !carry.isEmpty {
            let line = carry
            carry.removeAll()
            try consume(line, into: &lines)
        }
        if linesRead == 0 {
            throw CSVDataError(line: 1, column: 1, reason: "the file is empty: expected a header `depth,col1,…`",
                               byteOffset: 0)
        }
        return lines
    }

    private func firstNewline(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var i = start
        while i < bytes.count {
            if bytes[i] == 0x0A { return i }
            i += 1
        }
        return nil
    }

    private func consume(_ line: [UInt8], into lines: inout [Line]) throws(CSVDataError) {
        try line.withUnsafeBufferPointer { line in Result { () throws(CSVDataError) in try consume(line, into: &lines) } }.get()
    }

    private func consume(_ raw: UnsafeBufferPointer<UInt8>, into lines: inout [Line]) throws(CSVDataError) {
        linesRead += 1
        let offset = nextLineOffset
        nextLineOffset += raw.count + 1
        var line = raw
        if line.last == 0x0D { line = UnsafeBufferPointer(rebasing: line.dropLast()) }
        if linesRead == 1 {
            try readHeader(line)
            return
        }
        if let result = parseRow(line, number: linesRead, offset: offset) { lines.append(result) }
    }

    private func readHeader(_ line: UnsafeBufferPointer<UInt8>) throws(CSVDataError) {
        let start = line.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        // The header begins the file, so the cells' indices in the line are their byte offsets.
        let cells = line[start...].split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
        let names = cells.map { String(String(decoding: $0, as: UTF8.self)[...].trimmingBlanks) }
        guard names.first?.lowercased() == "depth" else {
            throw CSVDataError(line: 1, column: 1, reason: "the header must start with `depth`, found `\(names.first ?? "")`",
                               byteOffset: start)
        }
        guard names.count >= 2 else {
            throw CSVDataError(line: 1, column: 2, reason: "the header names no pixel columns", byteOffset: line.count)
        }
        if let blank = names.firstIndex(where: \.isEmpty) {
            throw CSVDataError(line: 1, column: blank + 1, reason: "empty column name in the header",
                               byteOffset: cells[blank].startIndex)
        }
        columnNames = names
    }

    /// `offset`: where the line starts in the file.
    private func parseRow(_ line: UnsafeBufferPointer<UInt8>, number: Int, offset: Int) -> Line? {
        let expected = columnNames.count
        var pixels = [UInt8](repeating: 0, count: expected - 1)
        var depth = 0.0
        var column = 0, cellStart = 0, allEmpty = true
        var firstExtraCell: Int?
        var failure: CSVDataError?
        func fail(_ reason: String) {
            if failure == nil {
                let name = column < expected ? columnNames[column] : nil
                failure = CSVDataError(line: number, column: column + 1, columnName: name, reason: reason,
                                       byteOffset: offset + cellStart)
            }
        }
        for i in 0...line.count where i == line.count || line[i] == UInt8(ascii: ",") {
            let cell = UnsafeBufferPointer(rebasing: line[cellStart..<i])
            if cell.contains(where: { !$0.isBlank }) { allEmpty = false }
            if column == expected { firstExtraCell = cellStart }
            if failure == nil, column < expected {
                if column == 0 {
                    switch DepthCell.parse(cell) {
                    case .success(let value): depth = value
                    case .failure(let problem): fail(problem.message)
                    }
                } else {
                    switch PixelCell.parse(cell) {
                    case .success(let value): pixels[column - 1] = value
                    case .failure(.empty): fail("empty cell")
                    case .failure(.notANumber): fail("`\(cell.text)` is not a number")
                    case .failure(.notWhole): fail("`\(cell.text)` is not a whole number")
                    case .failure(.outOfRange): fail("`\(cell.text)` is outside 0–255")
                    }
                }
            }
            column += 1
            cellStart = i + 1
        }
        if allEmpty {
            emptyRowsSkipped += 1
            return nil
        }
        if column != expected {
            let at = Swift.min(column, expected)
            let name = at < expected ? columnNames[at] : nil
            return .invalid(CSVDataError(line: number, column: at + 1, columnName: name,
                                         reason: "expected \(expected) cells, found \(column)",
                                         byteOffset: offset + (firstExtraCell ?? line.count)))
        }
        if let failure { return .invalid(failure) }
        guard seenDepths.insert(depth).inserted else {
            return .invalid(CSVDataError(line: number, column: 1, columnName: columnNames[0],
                                         reason: "duplicate depth \(depth)", byteOffset: offset))
        }
        return .row(ImageLogRow(line: number, depth: depth, pixels: pixels))
    }
}

private enum DepthCell {
    struct Problem: Error {
        var message: String
    }

    static func parse(_ cell: UnsafeBufferPointer<UInt8>) -> Result<Double, Problem> {
        let text = cell.trimmingBlanks.text
        guard !text.isEmpty else { return .failure(Problem(message: "empty depth")) }
        // Swift also reads hexadecimal floats (`0x1p3`); a CSV depth is decimal.
        guard let value = Double(text), !text.contains(where: { "xXpP".contains($0) }) else {
            return .failure(Problem(message: "depth `\(text)` is not a number"))
        }
        guard value.isFinite else { return .failure(Problem(message: "depth `\(text)` is not finite")) }
        guard value >= 0 else { return .failure(Problem(message: "depth \(text) is negative")) }
        return .success(value)
    }
}

private extension UnsafeBufferPointer<UInt8> {
    var text: String { String(decoding: self, as: UTF8.self) }
}
