/// Where the key set comes from: the JWKS file that a timer refreshes (`ProcessSupport.WatchedFile`), or
/// a test's own bytes.
public protocol KeySetSource {
    /// The bytes when they changed since the last read, or always when `force`; nil when unchanged.
    mutating func read(force: Bool) throws(KeySetLoadError) -> [UInt8]?
}

/// Why the key set file could not be read or used; the verifier keeps its previous keys.
public struct KeySetLoadError: Error, Equatable, Sendable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) { self.reason = reason }

    public var description: String { reason }
}
