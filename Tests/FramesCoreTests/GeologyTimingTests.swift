import FramesCore
import XCTest

/// Times binning and dynamic normalization on synthetic logs of 5,460 and 500,000 rows × 150 pixels.
/// Skipped unless FRAMES_TIMING=1; run in release for figures worth quoting:
/// `FRAMES_TIMING=1 swift test -c release --filter GeologyTimingTests`.
final class GeologyTimingTests: XCTestCase {
    private func syntheticLog(rows: Int, width: Int = 150) -> [StoredFrame] {
        var random = SplitMix64(seed: 20261126)
        return (0..<rows).map { row in
            let pixels = (0..<width).map { column -> UInt8 in
                // Beds that change with depth plus noise, so histograms differ from window to window.
                UInt8((row / 37 * 29 + column) % 200 + Int(random.next() >> 59))
            }
            return StoredFrame(depth: 9000.1 + Double(row) * 0.1, statistics: RowStatistics(min: 0, max: 255, mean: 100,
                               std: 50), compressionRatioOriginal: 2, compressionRatioResized: 2, pixels: pixels)
        }
    }

    private func seconds(_ work: () -> Void) -> Double {
        let start = ContinuousClock.now
        work()
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }

    func testTimeBinningAndDynamicNormalization() throws {
        try XCTSkipUnless(ProcessInfo.processInfo.environment["FRAMES_TIMING"] == "1", "set FRAMES_TIMING=1 to time")
        for rows in [5_460, 500_000] {
            let frames = syntheticLog(rows: rows)
            let binning = DepthBinning(top: frames.first!.depth, bottom: frames.last!.depth, height: 1000)
            var bins: [DepthBin?] = []
            let binSeconds = seconds { bins = binning.bins(of: frames, originalWidth: 200) }
            XCTAssertEqual(bins.compactMap { $0 }.map(\.frameCount).reduce(0, +), rows)
            var equalized: [StoredFrame] = []
            let dynamicSeconds = seconds {
                equalized = HistogramEqualization.equalized(frames, targets: frames.indices, window: 1)
            }
            XCTAssertEqual(equalized.count, rows)
            print(String(format: "timing: %d rows x 150: height=1000 binning %.4f s, norm=dynamic window=1 %.4f s",
                         rows, binSeconds, dynamicSeconds))
        }
    }
}
