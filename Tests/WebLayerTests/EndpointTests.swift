@testable import FastCGICommand
import FramesCore
import XCTest

/// `/statistics`, the colour bars, a dataset's versions and the service's documents.
final class EndpointTests: XCTestCase {
    private func web() -> WebLayer {
        let web = WebLayer()
        web.data.add("well", frames: [frame(100, [0, 10, 20, 30]), frame(101, [40, 50, 60, 70])])
        return web
    }

    func testStatisticsOfTheRangesPixels() throws {
        let answer = web().get("/statistics?depth_max=100&p=50")
        XCTAssertEqual(answer.status, 200)
        let body = try XCTUnwrap(answer.json as? [String: Any])
        XCTAssertEqual(body["frames"] as? Int, 1)
        XCTAssertEqual(body["min"] as? Int, 0)
        XCTAssertEqual(body["max"] as? Int, 30)
        XCTAssertEqual(body["mean"] as? Double, 15)
        XCTAssertEqual((body["percentiles"] as? [String: Double])?.keys.sorted(), ["50"])
    }

    func testStatisticsOfAPastGenerationInflateItsOriginals() throws {
        let answer = web().get("/statistics?generation=1")
        XCTAssertEqual(answer.status, 200)
        let body = try XCTUnwrap(answer.json as? [String: Any])
        XCTAssertEqual(body["frames"] as? Int, 2)
        XCTAssertEqual(body["max"] as? Int, 70)
        XCTAssertEqual(answer.header("Cache-Control"), "public, max-age=31536000, immutable")
    }

    func testStatisticsRefuseAReversedRange() {
        assertProblem(web().get("/statistics?depth_min=5&depth_max=1"), 400, "depth_min (5.0) must not exceed depth_max (1.0)")
    }

    func testAColourBarIsAPNGOfTheAskedSize() {
        let answer = web().get("/colormaps/viridis.png?width=30&height=5")
        XCTAssertEqual(answer.status, 200)
        XCTAssertEqual(answer.header("Content-Type"), "image/png")
        XCTAssertEqual(Array(answer.body[16..<24]), [0, 0, 0, 30, 0, 0, 0, 5])
    }

    func testColourBarErrors() {
        let web = web()
        let unknown = web.get("/colormaps/nope.png")
        XCTAssertEqual(unknown.status, 404)
        XCTAssertEqual(unknown.detail, "no resource at '/colormaps/nope.png'")
        let required = "colors (two or more stops) is required for /colormaps/custom.png"
        XCTAssertEqual(web.get("/colormaps/custom.png").detail, required)
        let empty = web.get("/colormaps/custom.png?colors=")
        XCTAssertEqual(empty.status, 400)
        XCTAssertEqual(empty.detail, required)
        XCTAssertEqual(web.get("/colormaps/gray.png?colors=000,fff").detail, "colors applies only to /colormaps/custom.png")
        XCTAssertEqual(web.get("/colormaps/custom.png?colors=000000,ffffff").status, 200)
    }

    func testADatasetNowAndAsOfAGeneration() throws {
        let web = web()
        web.data.add("well", frames: frames(count: 7), generation: 2)
        let now = try XCTUnwrap(web.get("/datasets/well").json as? [String: Any])
        XCTAssertEqual(now["frame_count"] as? Int, 7)
        let then = web.get("/datasets/well?generation=1")
        XCTAssertEqual((then.json as? [String: Any])?["frame_count"] as? Int, 2)
        XCTAssertEqual(then.header("Cache-Control"), "public, max-age=31536000, immutable")
        XCTAssertEqual(web.get("/datasets/other").detail, "unknown dataset 'other'")
        XCTAssertEqual(web.get("/datasets/well?generation=5").status, 404)
    }

    func testGenerationsNewestFirstAndChangesAsNDJSON() throws {
        let web = web()
        web.data.add("well", frames: [frame(100, [0, 10, 20, 30]), frame(105, [1, 2, 3, 4])], generation: 2)
        let list = try XCTUnwrap(web.get("/datasets/well/generations").json as? [[String: Any]])
        XCTAssertEqual(list.compactMap { $0["generation"] as? Int }, [2, 1])
        let changes = web.get("/datasets/well/changes?from=1&to=2")
        XCTAssertEqual(changes.header("Content-Type"), "application/x-ndjson")
        XCTAssertEqual(changes.lines.map { $0["depth"] as? Double }, [101, 105])
        XCTAssertEqual(changes.lines.map { $0["change"] as? String }, ["removed", "added"])
        XCTAssertEqual(changes.lines.count, 2)
        XCTAssertEqual(web.get("/datasets/nope/generations").status, 404)
    }

    func testReadinessFollowsTheDatabase() {
        let web = web()
        XCTAssertEqual(web.get("/ready").status, 200)
        web.data.ready = (connected: true, tablesExist: false)
        let answer = web.get("/ready")
        XCTAssertEqual(answer.status, 503)
        XCTAssertEqual(answer.header("Cache-Control"), "no-store")
    }

    func testTheColormapListNamesTheDefault() throws {
        let body = try XCTUnwrap(web().get("/colormaps").json as? [String: Any])
        XCTAssertEqual(body["default"] as? String, ColormapRegistry.defaultName)
        XCTAssertEqual((body["colormaps"] as? [String])?.count, ColormapRegistry.builtin.names.count)
    }

    func testErrorsCarryTheCORSHeadersToo() {
        let web = web()
        web.crossOrigin = CrossOriginPolicy(allowed: .everyone)
        let answer = web.get("/nope", headers: ["Origin": "https://viewer.example"])
        XCTAssertEqual(answer.status, 404)
        XCTAssertEqual(answer.header("Access-Control-Allow-Origin"), "*")
    }
}
