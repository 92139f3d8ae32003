import FramesCore

/// The stored pieces of a depth range's original-pixel histogram, as `FrameReader.rangeHistograms`
/// reads them: whole blocks already counted, and the rows outside them still compressed (inflating
/// them needs zlib, which the caller has).
public struct RangeHistograms {
    public var dataset: DatasetInfo
    /// The blocks' histograms merged.
    public var blocks = PixelHistogram()
    /// How many frames those blocks hold.
    public var blockFrames = 0
    /// Each remaining frame's original row, gzip-compressed as stored.
    public var compressedRows: [[UInt8]] = []

    public init(dataset: DatasetInfo) {
        self.dataset = dataset
    }
}
