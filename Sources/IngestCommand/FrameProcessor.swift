import FramesCore
import GzipCodec

/// Turns a parsed row into what is stored: statistics of the original, the Lanczos-resized row, and
/// both compressed. One instance per thread: it reuses its zlib stream and resize tables.
final class FrameProcessor {
    private let resizer: LanczosResizer
    private let compressor: GzipCompressor

    init(sourceWidth: Int, targetWidth: Int) throws(GzipError) {
        resizer = LanczosResizer(sourceWidth: sourceWidth, targetWidth: targetWidth)
        compressor = try GzipCompressor(level: 9)
    }

    func process(_ row: ImageLogRow) throws(GzipError) -> ProcessedFrame {
        let resized = resizer.resize(row.pixels)
        return ProcessedFrame(depth: row.depth, statistics: RowStatistics(of: row.pixels),
                              original: row.pixels,
                              originalCompressed: try compressor.compress(row.pixels),
                              resized: resized, resizedCompressed: try compressor.compress(resized),
                              rowHash: ProcessedFrame.rowHash(originalPixels: row.pixels, resizedWidth: resized.count))
    }
}
