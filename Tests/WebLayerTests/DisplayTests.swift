@testable import FastCGICommand
import FramesCore
import XCTest

/// `/frames` with display options: normalization, percentile stretches and binning, read through the
/// same `DisplayRead` the database source uses.
final class DisplayTests: XCTestCase {
    private let range = "/frames?depth_min=100&depth_max=119&format=json"

    func testEqualizationChangesTheColoursNotTheRows() throws {
        let web = WebLayer.withWell(frames: 20)
        let plain = web.get(range)
        for options in ["&norm=static", "&norm=dynamic&window=3"] {
            let equalized = web.get(range + options)
            XCTAssertEqual(equalized.status, 200, options)
            XCTAssertEqual(equalized.header("X-Frame-Count"), plain.header("X-Frame-Count"), options)
            XCTAssertNotEqual(equalized.body, plain.body, options)
            XCTAssertNotEqual(equalized.header("ETag"), plain.header("ETag"), options)
        }
    }

    func testAPercentileStretchNarrowsTheWindow() {
        let web = WebLayer.withWell(frames: 20)
        XCTAssertNotEqual(web.get(range + "&vmin=p10&vmax=p90").body, web.get(range).body)
        XCTAssertEqual(web.get(range + "&vmin=p0&vmax=p100").status, 200)
    }

    func testNormCannotBeCombinedWithAWindow() {
        assertProblem(WebLayer.withWell().get(range + "&norm=static&vmin=10"), 400,
                      "norm cannot be combined with vmin: equalized values always fill 0 to 255")
    }

    func testAPastGenerationIsDisplayedFromItsOwnRows() {
        let web = WebLayer.withWell(frames: 20)
        web.data.add("well", frames: frames(count: 5), generation: 2)
        let past = web.get(range + "&height=4&generation=1")
        XCTAssertEqual(past.status, 200)
        XCTAssertEqual(past.header("X-Frame-Count"), "4", "twenty frames of generation 1 in four bins")
        XCTAssertEqual(past.header("Cache-Control"), "public, max-age=31536000, immutable")
    }
}
