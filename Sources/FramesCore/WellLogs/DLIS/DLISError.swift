/// Why a DLIS file cannot be read, and where. The decoder does not know the file's name: the caller adds
/// it when it reports the error.
public struct DLISError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Byte offset in the file of the first byte that is wrong (or of the end, for a truncated file).
    public var offset: Int
    public var reason: String

    public var description: String { "byte \(offset): \(reason)" }

    public func located(in file: String) -> String { "\(file): byte \(offset): \(reason)" }
}
