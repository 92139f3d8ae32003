import FramesCore
import XCTest

final class DepthBinningTests: XCTestCase {
    private struct Fixture: Decodable {
        /// A stored frame, or an expected bin (which adds its edges and frame count).
        struct Row: Decodable {
            var depth: Double
            var pixels: [UInt8]
            var min: UInt8
            var max: UInt8
            var mean: Double
            var std: Double
            var ratioOriginal: Double
            var ratioResized: Double
            var top: Double?
            var bottom: Double?
            var frames: Int?
        }
        struct Case: Decodable {
            var depthMin: Double
            var depthMax: Double
            var height: Int
            var framesInRange: Int
            var bins: [Row?]
        }
        var originalWidth: Int
        var frames: [Row]
        var cases: [Case]
    }

    private func storedFrames(_ fixture: Fixture) -> [StoredFrame] {
        fixture.frames.map {
            StoredFrame(depth: $0.depth, statistics: RowStatistics(min: $0.min, max: $0.max, mean: $0.mean, std: $0.std),
                        compressionRatioOriginal: $0.ratioOriginal, compressionRatioResized: $0.ratioResized,
                        pixels: $0.pixels)
        }
    }

    func testBinsMatchNumpyWithIrregularStepsAndAGap() throws {
        let fixture = try oracleFixture("depth_binning", as: Fixture.self)
        let frames = storedFrames(fixture)
        let span = frames.first!.depth...frames.last!.depth
        var emptyBins = 0
        for expected in fixture.cases {
            let label = "[\(expected.depthMin), \(expected.depthMax)] H=\(expected.height)"
            let range = try DepthRange(lower: expected.depthMin, upper: expected.depthMax)
            let binning = try XCTUnwrap(DepthBinning(range: range, datasetDepths: span, height: expected.height))
            let inRange = frames.filter { $0.depth >= binning.top && $0.depth <= binning.bottom }
            XCTAssertEqual(inRange.count, expected.framesInRange, label)
            let bins = binning.bins(of: frames, originalWidth: fixture.originalWidth)
            XCTAssertEqual(bins.count, expected.height, label)
            XCTAssertEqual(bins.compactMap { $0 }.map(\.frameCount).reduce(0, +), inRange.count,
                           "\(label): every frame in range lands in exactly one bin")
            for (k, (got, want)) in zip(bins, expected.bins).enumerated() {
                guard let want else {
                    XCTAssertNil(got, "\(label) bin \(k) is empty")
                    emptyBins += 1
                    continue
                }
                let bin = try XCTUnwrap(got, "\(label) bin \(k)")
                XCTAssertEqual(bin.top, try XCTUnwrap(want.top), "\(label) bin \(k)")
                XCTAssertEqual(bin.bottom, try XCTUnwrap(want.bottom), "\(label) bin \(k)")
                XCTAssertEqual(bin.frame.depth, want.depth, "\(label) bin \(k)")
                XCTAssertEqual(bin.frameCount, try XCTUnwrap(want.frames), "\(label) bin \(k)")
                XCTAssertEqual(bin.frame.pixels, want.pixels, "\(label) bin \(k)")
                XCTAssertEqual(bin.frame.statistics.min, want.min, "\(label) bin \(k)")
                XCTAssertEqual(bin.frame.statistics.max, want.max, "\(label) bin \(k)")
                // Exact integer sums make the pooled mean numpy's own double.
                XCTAssertEqual(bin.frame.statistics.mean, want.mean, "\(label) bin \(k)")
                assertClose(bin.frame.statistics.std, want.std, "\(label) bin \(k)")
                assertClose(bin.frame.compressionRatioOriginal, want.ratioOriginal, "\(label) bin \(k)")
                assertClose(bin.frame.compressionRatioResized, want.ratioResized, "\(label) bin \(k)")
            }
        }
        XCTAssertGreaterThan(emptyBins, 0, "the fixture's gap leaves empty bins")
    }

    func testTheLastFrameLandsInTheLastBin() {
        // Rounding may put (d − top) · H / (bottom − top) at H for d = bottom; it must still be the last bin.
        for (top, bottom, height) in [(9000.1, 9546.0, 1000), (0.1, 0.4, 3), (1.0, 1.0 + 1e-9, 7)] {
            let binning = DepthBinning(top: top, bottom: bottom, height: height)
            XCTAssertEqual(binning.binIndex(ofDepth: bottom), height - 1)
            XCTAssertEqual(binning.binIndex(ofDepth: top), 0)
            XCTAssertNil(binning.binIndex(ofDepth: bottom.nextUp))
            XCTAssertNil(binning.binIndex(ofDepth: top.nextDown))
            XCTAssertEqual(binning.edges(ofBin: height - 1).bottom, bottom)
            XCTAssertEqual(binning.edges(ofBin: 0).top, top)
        }
    }

    func testBinningIsOnlyNeededForMoreFramesThanRows() {
        XCTAssertFalse(DepthBinning.isNeeded(frameCount: 1000, height: 1000))
        XCTAssertTrue(DepthBinning.isNeeded(frameCount: 1001, height: 1000))
    }

    func testARangeOutsideTheDatasetHasNoBins() throws {
        XCTAssertNil(DepthBinning(range: try DepthRange(lower: 0, upper: 5), datasetDepths: 10...20, height: 3))
        let clipped = try XCTUnwrap(DepthBinning(range: try DepthRange(lower: 0, upper: 15), datasetDepths: 10...20, height: 3))
        XCTAssertEqual(clipped.top, 10)
        XCTAssertEqual(clipped.bottom, 15)
    }
}
