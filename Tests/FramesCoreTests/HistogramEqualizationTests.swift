import FramesCore
import XCTest

final class HistogramEqualizationTests: XCTestCase {
    private struct Fixture: Decodable {
        struct Dynamic: Decodable {
            var window: Double
            var first: Int
            var end: Int
            var expected: [[UInt8]]
        }
        struct Regular: Decodable {
            var depths: [Double]
            var pixels: [[UInt8]]
            var window: Double
            var footprint: [Int]
            var expected: [[UInt8]]
        }
        var depths: [Double]
        var pixels: [[UInt8]]
        var `static`: [[UInt8]]
        var dynamic: [Dynamic]
        var skimage: [Regular]
    }

    private func frames(depths: [Double], pixels: [[UInt8]]) -> [StoredFrame] {
        zip(depths, pixels).map {
            StoredFrame(depth: $0, statistics: RowStatistics(of: $1), compressionRatioOriginal: 1,
                        compressionRatioResized: 1, pixels: $1)
        }
    }

    func testStaticMatchesTheDefinitionInNumpy() throws {
        let fixture = try oracleFixture("equalization", as: Fixture.self)
        let rows = frames(depths: fixture.depths, pixels: fixture.pixels)
        let equalized = HistogramEqualization.equalized(rows, datasetHistogram: PixelHistogram(rows: fixture.pixels))
        XCTAssertEqual(equalized.map(\.pixels), fixture.static)
        XCTAssertEqual(equalized.map(\.depth), fixture.depths, "only pixels change")
        XCTAssertEqual(equalized.map(\.statistics), rows.map(\.statistics), "metadata stays the stored rows'")
    }

    func testDynamicMatchesTheDefinitionWithIrregularStepsAndAGap() throws {
        let fixture = try oracleFixture("equalization", as: Fixture.self)
        let rows = frames(depths: fixture.depths, pixels: fixture.pixels)
        for expected in fixture.dynamic {
            let got = HistogramEqualization.equalized(rows, targets: expected.first..<expected.end, window: expected.window)
            XCTAssertEqual(got.map(\.pixels), expected.expected, "window \(expected.window)")
            XCTAssertEqual(got.map(\.depth), Array(fixture.depths[expected.first..<expected.end]))
        }
    }

    /// A tile's rows look the same whatever range asked for them: only the context rows matter.
    func testDynamicDoesNotDependOnTheRequestedRange() throws {
        let fixture = try oracleFixture("equalization", as: Fixture.self)
        let rows = frames(depths: fixture.depths, pixels: fixture.pixels)
        let window = 1.0
        let whole = HistogramEqualization.equalized(rows, targets: rows.indices, window: window)
        let tile = HistogramEqualization.equalized(rows, targets: 30..<40, window: window)
        XCTAssertEqual(tile, Array(whole[30..<40]))
        // Only the context span's rows, as a query for the tile would read them, give the same rows again.
        let span = HistogramEqualization.contextSpan(of: rows[30].depth...rows[39].depth, window: window)
        let context = rows.enumerated().filter { span.contains($0.element.depth) }
        XCTAssertLessThan(context.count, rows.count, "the context is a part of the log")
        let offset = try XCTUnwrap(context.firstIndex { $0.offset == 30 })
        let trimmed = HistogramEqualization.equalized(context.map(\.element), targets: offset..<(offset + 10),
                                                      window: window)
        XCTAssertEqual(trimmed, tile)
    }

    /// Finite depths and a finite window whose context reaches past the largest double (schemathesis sent
    /// `window=1.78e308&depth_min=7.3e307&depth_max=1.41e308`): the span is every finite depth on that side,
    /// not a range with infinite or NaN bounds, which traps.
    func testAContextPastTheLargestDoubleEndsAtIt() {
        let span = HistogramEqualization.contextSpan(of: 7.3e307...1.41e308, window: 1.78e308)
        XCTAssertEqual(span.upperBound, .greatestFiniteMagnitude)
        XCTAssertTrue(span.lowerBound.isFinite && span.lowerBound < 7.3e307 - 0.89e308 / 2)
        XCTAssertTrue(span.contains(1.0) && span.contains(.greatestFiniteMagnitude))
        let low = HistogramEqualization.contextSpan(of: -1.7e308 ... -1e308, window: 1e308)
        XCTAssertEqual(low.lowerBound, -.greatestFiniteMagnitude)
    }

    func testDynamicEqualsSkimageRankEqualizeOnARegularStep() throws {
        let fixture = try oracleFixture("equalization", as: Fixture.self)
        XCTAssertEqual(fixture.skimage.count, 2)
        for expected in fixture.skimage {
            let rows = frames(depths: expected.depths, pixels: expected.pixels)
            let got = HistogramEqualization.equalized(rows, targets: rows.indices, window: expected.window)
            XCTAssertEqual(got.map(\.pixels), expected.expected, "footprint \(expected.footprint)")
        }
    }

    func testLookupTableIsTheScaledCumulativeCount() {
        var counts = [Int](repeating: 0, count: 256)
        counts[10] = 1
        counts[20] = 2
        let table = HistogramEqualization.lookupTable(PixelHistogram(counts: counts))
        XCTAssertEqual(table[9], 0)
        XCTAssertEqual(table[10], 85) // floor(255 · 1/3)
        XCTAssertEqual(table[19], 85)
        XCTAssertEqual(table[20], 255)
        XCTAssertEqual(table[255], 255)
        XCTAssertEqual(HistogramEqualization.lookupTable(PixelHistogram()), [UInt8](repeating: 0, count: 256))
    }

    /// The reciprocal shortcut must give the integer floor for any counts, including large totals
    /// and values where 255 · C / n is an integer.
    func testLookupTableIsTheIntegerFloorForLargeCounts() {
        var generator = SplitMix64(seed: 20261126)
        for trial in 0..<200 {
            let scale = trial % 2 == 0 ? 1 << 10 : 1 << 34
            var counts = (0..<256).map { _ in Int.random(in: 0..<scale, using: &generator) }
            if trial % 5 == 0 { counts[Int.random(in: 0..<256, using: &generator)] = 0 }
            if trial % 7 == 0 { counts = counts.map { $0 / 255 * 255 } } // multiples: many exact quotients
            let histogram = PixelHistogram(counts: counts)
            guard histogram.total > 0 else { continue }
            var cumulative = 0
            let expected = counts.map { count -> UInt8 in
                cumulative += count
                return UInt8(255 * cumulative / histogram.total)
            }
            XCTAssertEqual(HistogramEqualization.lookupTable(histogram), expected, "counts \(counts)")
        }
    }
}

final class ExactQuotientTests: XCTestCase {
    func testEveryQuotientIsIntegerDivision() {
        var random = SystemRandomNumberGenerator()
        let divisors = [1, 2, 3, 7, 150, 255, 1650, 19_650, 65_537, 75_000_000, 1 << 40, (1 << 61) - 1]
            + (0..<200).map { _ in Int.random(in: 1...5_000_000, using: &random) }
        for divisor in divisors {
            let largest = 255 * min(divisor, (1 << 62) / 256)
            let quotient = ExactQuotient(divisor: divisor, largestDividend: largest)
            let samples = [0, 1, divisor - 1, divisor, divisor + 1, largest - 1, largest]
                + (0..<300).map { _ in Int.random(in: 0...largest, using: &random) }
                + (1...255).map { largest / 255 * $0 }
            for dividend in samples where dividend >= 0 && dividend <= largest {
                XCTAssertEqual(quotient.of(dividend), dividend / divisor, "\(dividend) / \(divisor)")
            }
        }
    }
}
