import FramesCore
import XCTest

/// `height`, `norm`, `window` and percentile `vmin`/`vmax`, parsed as part of a `/frames` query.
final class DisplayOptionsTests: XCTestCase {
    private let base = "depth_min=1&depth_max=2"

    private func display(_ extra: String) throws(RequestError) -> FrameQuery {
        try FrameQuery(queryString: base + extra, accept: nil)
    }

    private func assertBadParameter(_ extra: String, named name: String, file: StaticString = #filePath, line: UInt = #line) {
        FramesCoreTests.assertBadParameter(name, extra, file: file, line: line) { () throws(RequestError) in
            try display(extra)
        }
    }

    func testNothingGivenChangesNothing() throws {
        let query = try display("")
        XCTAssertEqual(query.display, DisplayOptions())
        XCTAssertNil(query.display.height)
        XCTAssertNil(query.display.normalization)
        XCTAssertTrue(query.display.stretch.isEmpty)
    }

    func testHeight() throws {
        XCTAssertEqual(try display("&height=1").display.height, 1)
        XCTAssertEqual(try display("&height=10000").display.height, 10_000)
        for bad in ["0", "10001", "-3", "1.5", "", "x"] { assertBadParameter("&height=\(bad)", named: "height") }
    }

    func testNormalization() throws {
        XCTAssertEqual(try display("&norm=static").display.normalization, .static)
        XCTAssertEqual(try display("&norm=dynamic&window=1.5").display.normalization, .dynamic(window: 1.5))
        XCTAssertNil(try display("&norm=none").display.normalization)
        assertBadParameter("&norm=Dynamic&window=1", named: "norm")
        assertBadParameter("&norm=", named: "norm")
        assertBadParameter("&norm=dynamic", named: "window")
        for bad in ["0", "-1", "nan", "inf", ""] { assertBadParameter("&norm=dynamic&window=\(bad)", named: "window") }
        assertBadParameter("&norm=static&window=1", named: "window")
        assertBadParameter("&window=1", named: "window")
    }

    func testNormCannotBeCombinedWithAValueWindow() {
        for bound in ["&vmin=10", "&vmax=200", "&vmin=p2", "&vmax=p98"] {
            assertBadParameter("&norm=static" + bound, named: "norm")
            assertBadParameter("&norm=dynamic&window=2" + bound, named: "norm")
        }
    }

    func testPercentileStretch() throws {
        let both = try display("&vmin=p2&vmax=p98.5")
        XCTAssertEqual(both.display.stretch, PercentileStretch(low: 2, high: 98.5))
        XCTAssertNil(both.vmin, "a percentile is not a numeric vmin")
        XCTAssertNil(both.vmax)
        XCTAssertEqual(try display("&vmin=p0&vmax=p100").display.stretch, PercentileStretch(low: 0, high: 100))
        XCTAssertEqual(try display("&vmax=p1").display.stretch, PercentileStretch(low: nil, high: 1))
        XCTAssertEqual(try display("&vmin=p50&vmax=p50").display.stretch, PercentileStretch(low: 50, high: 50))
        XCTAssertEqual(try display("&vmin=3&vmax=4").display.stretch, PercentileStretch(), "numbers stay numbers")
        for bad in ["p", "p-1", "p100.5", "pnan", "pinf", "p1%25", "px"] {
            assertBadParameter("&vmin=\(bad)", named: "vmin")
            assertBadParameter("&vmax=\(bad)", named: "vmax")
        }
        assertBadParameter("&vmin=p60&vmax=p40", named: "vmax")
        assertBadParameter("&vmin=p5&vmax=200", named: "vmax")
        assertBadParameter("&vmin=5&vmax=p95", named: "vmin")
    }

    func testPercentilesResolveAgainstTheRangesPixels() {
        let histogram = PixelHistogram(rows: [[0, 10, 20, 30, 40], [50, 60, 70, 80, 90, 100]])
        let window = PercentileStretch(low: 10, high: 95).valueWindow(of: histogram)
        XCTAssertEqual(window.vmin, 10) // index 1 exactly
        XCTAssertEqual(window.vmax, 95) // index 9.5: halfway between 90 and 100
        XCTAssertNil(PercentileStretch(low: nil, high: 50).valueWindow(of: histogram).vmin)
        XCTAssertNil(PercentileStretch(low: 5, high: 50).valueWindow(of: PixelHistogram()).vmin)
    }

    func testCanonicalKeyCoversEveryDisplayParameter() throws {
        let variants = ["", "&height=10", "&height=11", "&norm=static", "&norm=dynamic&window=1",
                        "&norm=dynamic&window=2", "&vmin=p1", "&vmax=p1", "&vmin=p1&vmax=p2", "&vmin=1"]
        let keys = try variants.map { try display($0).canonicalKey }
        XCTAssertEqual(Set(keys).count, variants.count, "\(keys)")
        XCTAssertEqual(try display("&norm=none").canonicalKey, try display("").canonicalKey)
        XCTAssertEqual(try display("&vmin=p5.0&height=020").canonicalKey, try display("&height=20&vmin=p5").canonicalKey)
    }
}
