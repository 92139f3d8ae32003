import FramesCore
import XCTest

final class PixelHistogramTests: XCTestCase {
    private struct Fixture: Decodable {
        struct Case: Decodable {
            var pixels: [UInt8]
            var histogram: [Int]
            var percentiles: [Double]
            var mean: Double
            var std: Double
        }
        var percentiles: [Double]
        var cases: [Case]
    }

    func testCountsPercentilesMeanAndStdMatchNumpy() throws {
        let fixture = try oracleFixture("pixel_histograms", as: Fixture.self)
        XCTAssertGreaterThan(fixture.cases.count, 5)
        for (index, expected) in fixture.cases.enumerated() {
            let histogram = PixelHistogram(rows: [expected.pixels])
            XCTAssertEqual(histogram.counts, expected.histogram, "case \(index): numpy.histogram")
            XCTAssertEqual(histogram.total, expected.pixels.count)
            XCTAssertEqual(histogram.minimum, expected.pixels.min())
            XCTAssertEqual(histogram.maximum, expected.pixels.max())
            // numpy.percentile's arithmetic is repeated step by step: the same double, not a close one.
            for (p, value) in zip(fixture.percentiles, expected.percentiles) {
                XCTAssertEqual(histogram.percentile(p), value, "case \(index): numpy.percentile(\(p))")
            }
            XCTAssertEqual(histogram.mean, expected.mean, "case \(index): numpy.mean")
            assertClose(try XCTUnwrap(histogram.standardDeviation), expected.std, "case \(index): numpy.std")
        }
    }

    func testMergedHistogramsEqualTheHistogramOfAllRows() throws {
        let fixture = try oracleFixture("pixel_histograms", as: Fixture.self)
        var merged = PixelHistogram()
        for expected in fixture.cases { merged.merge(PixelHistogram(counts: expected.histogram)) }
        XCTAssertEqual(merged, PixelHistogram(rows: fixture.cases.map(\.pixels)))
        XCTAssertEqual(merged.total, fixture.cases.map(\.pixels.count).reduce(0, +))
    }

    func testRemovingARowUndoesAddingIt() {
        var histogram = PixelHistogram(rows: [[1, 2, 3, 3]])
        histogram.add([3, 200])
        histogram.remove([3, 200])
        XCTAssertEqual(histogram, PixelHistogram(rows: [[1, 2, 3, 3]]))
    }

    func testEmptyHistogramHasNoStatistics() {
        let empty = PixelHistogram()
        XCTAssertNil(empty.percentile(50))
        XCTAssertNil(empty.mean)
        XCTAssertNil(empty.standardDeviation)
        XCTAssertNil(empty.minimum)
        XCTAssertNil(empty.maximum)
    }

    // MARK: - Encoding

    func testEncodingRoundTripsAndKeepsOnlyNonzeroBins() throws {
        let fixture = try oracleFixture("pixel_histograms", as: Fixture.self)
        for expected in fixture.cases {
            let histogram = PixelHistogram(counts: expected.histogram)
            let bytes = histogram.encoded()
            XCTAssertEqual(try PixelHistogram(decoding: bytes), histogram)
            let distinct = Set(expected.pixels).count
            XCTAssertLessThanOrEqual(bytes.count, distinct * 3, "a value byte and a short count per nonzero bin")
        }
        XCTAssertEqual(PixelHistogram().encoded(), [])
        XCTAssertEqual(try PixelHistogram(decoding: []), PixelHistogram())
    }

    func testEncodingWritesValueThenVarintCount() throws {
        var counts = [Int](repeating: 0, count: 256)
        counts[0] = 1
        counts[7] = 300 // 0b1_0010_1100: 0xAC 0x02
        counts[255] = 1 << 60
        let histogram = PixelHistogram(counts: counts)
        let bytes = histogram.encoded()
        XCTAssertEqual(Array(bytes.prefix(5)), [0, 1, 7, 0xAC, 0x02])
        XCTAssertEqual(bytes[5], 255)
        XCTAssertEqual(bytes.count, 6 + 9, "2^60 takes nine 7-bit groups")
        XCTAssertEqual(try PixelHistogram(decoding: bytes), histogram)
    }

    func testDecodingRejectsWhatTheEncoderNeverWrites() {
        let bad: [([UInt8], PixelHistogram.DecodingError)] = [
            ([5], .truncated(offset: 0)),
            ([5, 1, 9, 0x80], .truncated(offset: 2)),
            ([5, 1, 5, 1], .valueOutOfOrder(offset: 2)),
            ([9, 1, 5, 1], .valueOutOfOrder(offset: 2)),
            ([5, 0], .badCount(offset: 0)),
            ([5, 0x81, 0x00], .badCount(offset: 0)), // 1 spelled in two bytes
            ([5] + [UInt8](repeating: 0xff, count: 9) + [0x01], .badCount(offset: 0)), // 2^64 - 1
            ([1] + [UInt8](repeating: 0xff, count: 8) + [0x7f, 2] + [UInt8](repeating: 0xff, count: 8) + [0x7f],
             .badCount(offset: 10)), // each Int.max, but not both
        ]
        for (bytes, expected) in bad {
            XCTAssertThrowsError(try PixelHistogram(decoding: bytes), "\(bytes)") { error in
                XCTAssertEqual(error as? PixelHistogram.DecodingError, expected, "\(bytes)")
            }
        }
    }
}
