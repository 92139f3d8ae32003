/// One valid data line of an image-log CSV.
public struct ImageLogRow: Sendable, Equatable {
    public var line: Int
    public var depth: Double
    public var pixels: [UInt8]

    public init(line: Int, depth: Double, pixels: [UInt8]) {
        self.line = line
        self.depth = depth
        self.pixels = pixels
    }
}
