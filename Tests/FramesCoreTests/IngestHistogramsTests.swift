import FramesCore
import XCTest

final class IngestHistogramsTests: XCTestCase {
    private func row(_ value: UInt8) -> [UInt8] { [value, value, 7] }

    func testBlocksTileIncreasingFramesAndMergeTheirOriginalPixels() {
        var histograms = IngestHistograms(blockSize: 3)
        for index in 0..<7 {
            histograms.add(depth: Double(index) / 2, original: row(UInt8(index)), resized: [UInt8(index)])
        }
        XCTAssertEqual(histograms.blocks.count, 2, "the short last block waits for finish()")
        histograms.finish()
        let blocks = histograms.blocks
        XCTAssertEqual(blocks.map(\.frameCount), [3, 3, 1])
        XCTAssertEqual(blocks.map(\.firstDepth), [0, 1.5, 3])
        XCTAssertEqual(blocks.map(\.lastDepth), [1, 2.5, 3])
        XCTAssertEqual(try PixelHistogram(decoding: blocks[1].original), PixelHistogram(rows: [row(3), row(4), row(5)]))
        XCTAssertEqual(histograms.resized, PixelHistogram(rows: [[0, 1, 2, 3, 4, 5, 6]]))
    }

    func testFramesOutOfOrderKeepNoBlocksButTheResizedHistogram() {
        var histograms = IngestHistograms(blockSize: 2)
        for depth in [1.0, 2.0, 3.0, 2.5, 4.0] {
            histograms.add(depth: depth, original: row(1), resized: [9])
        }
        histograms.finish()
        XCTAssertEqual(histograms.blocks, [])
        XCTAssertEqual(histograms.resized.total, 5)
    }
}
