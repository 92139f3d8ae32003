/// One depth step of ~A: the depth (the first curve) and the other curves' values as written, the file's
/// NULL value included.
public struct LASRow: Equatable, Sendable {
    /// The line the depth step starts on.
    public var line: Int
    public var depth: Double
    /// One per curve after the depth, in ~C's order (Floats, when the reader reads in single precision).
    public var values: [Double]
}
