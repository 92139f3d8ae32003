/// One frame as the query side reads it back: the resized row (palette indices 0–255)
/// and the statistics computed from the original row at ingest.
public struct StoredFrame: Sendable, Equatable {
    public var depth: Double
    public var statistics: RowStatistics
    public var compressionRatioOriginal: Double
    public var compressionRatioResized: Double
    public var pixels: [UInt8]

    public init(depth: Double, statistics: RowStatistics, compressionRatioOriginal: Double,
                compressionRatioResized: Double, pixels: [UInt8]) {
        self.depth = depth
        self.statistics = statistics
        self.compressionRatioOriginal = compressionRatioOriginal
        self.compressionRatioResized = compressionRatioResized
        self.pixels = pixels
    }
}
