/// Where the key set comes from: the JWKS file that a timer refreshes (`ProcessSupport.WatchedFile`), or
/// a test's own bytes.
public protocol KeySetSource {
    /// The bytes when they changed since the last read, or always when `force`; nil when unchanged.
    mutating func read(force: Bool) throws(KeySetLoadError) -> [UInt8]?
}
