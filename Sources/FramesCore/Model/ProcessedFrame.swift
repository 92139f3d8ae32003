/// One row ready to store: statistics of the original, the resized row, both compressed.
public struct ProcessedFrame: Sendable {
    public var depth: Double
    public var statistics: RowStatistics
    /// The original row itself, which the loader counts into `IngestHistograms` (its 200 bytes take
    /// a tenth of a histogram's 256 counts while batches wait to be loaded).
    public var original: [UInt8]
    public var originalCompressed: [UInt8]
    public var resized: [UInt8]
    public var resizedCompressed: [UInt8]
    public var compressionRatioOriginal: Double
    public var compressionRatioResized: Double

    public init(depth: Double, statistics: RowStatistics, original: [UInt8], originalCompressed: [UInt8],
                resized: [UInt8], resizedCompressed: [UInt8]) {
        self.depth = depth
        self.statistics = statistics
        self.original = original
        self.originalCompressed = originalCompressed
        self.resized = resized
        self.resizedCompressed = resizedCompressed
        // Raw size over stored size, as the original service reported it.
        compressionRatioOriginal = Double(original.count) / Double(originalCompressed.count)
        compressionRatioResized = Double(resized.count) / Double(resizedCompressed.count)
    }
}
