import Digests
import FramesCore
import FrameStore
import GzipCodec

/// Turns a parsed row into what is stored: statistics of the original, the Lanczos-resized row, and
/// both compressed. A row already stored as it is (by its hash) is only resized, for the dataset's
/// histograms: the two level-9 compressions are most of a row's cost. One instance per thread: it
/// reuses its zlib stream and resize tables.
final class FrameProcessor {
    private let resizer: LanczosResizer
    private let compressor: GzipCompressor
    private let stored: StoredRowHashes

    init(sourceWidth: Int, targetWidth: Int, stored: StoredRowHashes) throws(GzipError) {
        resizer = LanczosResizer(sourceWidth: sourceWidth, targetWidth: targetWidth)
        compressor = try GzipCompressor(level: 9)
        self.stored = stored
    }

    func process(_ row: ImageLogRow) throws(GzipError) -> ProcessedRow {
        let resized = resizer.resize(row.pixels)
        let rowHash = ProcessedFrame.rowHash(originalPixels: row.pixels, resizedWidth: resized.count,
                                             hashes: SystemHashes())
        if stored.contains(depth: row.depth, hash: rowHash) {
            return .unchanged(depth: row.depth, original: row.pixels, resized: resized)
        }
        return .frame(ProcessedFrame(depth: row.depth, statistics: RowStatistics(of: row.pixels),
                                     original: row.pixels,
                                     originalCompressed: try compressor.compress(row.pixels),
                                     resized: resized, resizedCompressed: try compressor.compress(resized),
                                     rowHash: rowHash))
    }
}
