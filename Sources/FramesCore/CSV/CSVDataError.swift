/// A problem with one place in an image-log CSV. The parser does not know the file's name: the
/// caller adds it when it reports the error (`file:line:column: reason`).
public struct CSVDataError: Error, Equatable, Sendable, CustomStringConvertible {
    public var line: Int
    /// 1-based cell number: the depth is column 1, the first pixel column 2.
    public var column: Int
    public var columnName: String?
    public var reason: String
    /// Where the cell starts, counted from the file's first byte (0), for tools that seek rather than
    /// count lines; past a row's last cell when a cell is missing.
    public var byteOffset: Int?

    public init(line: Int, column: Int, columnName: String? = nil, reason: String, byteOffset: Int? = nil) {
        self.line = line
        self.column = column
        self.columnName = columnName
        self.reason = reason
        self.byteOffset = byteOffset
    }

    public var description: String {
        let name = columnName.map { " (\($0))" } ?? ""
        return "line \(line), column \(column)\(name): \(reason)\(byteSuffix)"
    }

    /// The conventional compiler-style location, so editors can jump to it.
    public func located(in file: String) -> String {
        let name = columnName.map { " (\($0))" } ?? ""
        return "\(file):\(line):\(column):\(name) \(reason)\(byteSuffix)"
    }

    private var byteSuffix: String { byteOffset.map { " (byte \($0))" } ?? "" }
}
