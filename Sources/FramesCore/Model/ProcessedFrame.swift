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
    /// Identifies the row's content across ingests: equal hashes at a depth mean an unchanged frame.
    public var rowHash: [UInt8]

    public init(depth: Double, statistics: RowStatistics, original: [UInt8], originalCompressed: [UInt8],
                resized: [UInt8], resizedCompressed: [UInt8], rowHash: [UInt8]) {
        self.depth = depth
        self.statistics = statistics
        self.original = original
        self.originalCompressed = originalCompressed
        self.resized = resized
        self.resizedCompressed = resizedCompressed
        self.rowHash = rowHash
        // Raw size over stored size, as the original service reported it.
        compressionRatioOriginal = Double(original.count) / Double(originalCompressed.count)
        compressionRatioResized = Double(resized.count) / Double(resizedCompressed.count)
    }
}

extension ProcessedFrame {
    /// The first 16 bytes of SHA-256 over the resized width and the original pixels: everything stored
    /// for a depth follows from these two, so equal hashes mean equal rows (a collision in 2^128 aside).
    public static func rowHash(originalPixels: [UInt8], resizedWidth: Int, hashes: some HashFunctions) -> [UInt8] {
        let width = [UInt8(truncatingIfNeeded: resizedWidth >> 8), UInt8(truncatingIfNeeded: resizedWidth)]
        return Array(hashes.sha256(width + originalPixels).prefix(16))
    }
}
