/// One row ready to store: statistics of the original, the resized row, both compressed.
public struct ProcessedFrame: Sendable {
    public var depth: Double
    public var statistics: RowStatistics
    /// The original row's pixel counts, which the ingest merges into `IngestHistograms`.
    public var originalHistogram: PixelHistogram
    public var originalCompressed: [UInt8]
    public var resized: [UInt8]
    public var resizedCompressed: [UInt8]
    public var compressionRatioOriginal: Double
    public var compressionRatioResized: Double

    public init(depth: Double, statistics: RowStatistics, originalHistogram: PixelHistogram, originalWidth: Int,
                originalCompressed: [UInt8], resized: [UInt8], resizedCompressed: [UInt8]) {
        self.depth = depth
        self.statistics = statistics
        self.originalHistogram = originalHistogram
        self.originalCompressed = originalCompressed
        self.resized = resized
        self.resizedCompressed = resizedCompressed
        // Raw size over stored size, as the original service reported it.
        compressionRatioOriginal = Double(originalWidth) / Double(originalCompressed.count)
        compressionRatioResized = Double(resized.count) / Double(resizedCompressed.count)
    }
}
