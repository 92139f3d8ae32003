/// Why a LAS file cannot be read, and on which line (counting from 1). The reader does not know the
/// file's name: the caller adds it when it reports the error.
public struct LASError: Error, Equatable, Sendable, CustomStringConvertible {
    public var line: Int
    public var reason: String

    public var description: String { "line \(line): \(reason)" }

    /// The conventional compiler-style location, so editors can jump to it.
    public func located(in file: String) -> String { "\(file):\(line): \(reason)" }
}
