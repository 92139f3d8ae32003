@testable import FastCGICommand
import FramesCore
import XCTest

/// `/frames` as JSON and PNG, its headers, and the dataset it picks.
final class FramesEndpointTests: XCTestCase {
    func testJSONHoldsTheRangeFramesWithCountAndDepthHeaders() throws {
        let answer = WebLayer.withWell().get("/frames?depth_min=101&depth_max=103")
        XCTAssertEqual(answer.status, 200)
        XCTAssertEqual(answer.header("Content-Type"), "application/json")
        XCTAssertEqual(answer.header("X-Frame-Count"), "3")
        XCTAssertEqual(answer.header("X-Depth-Min"), "101.0")
        XCTAssertEqual(answer.header("X-Depth-Max"), "103.0")
        XCTAssertEqual(answer.header("Content-Length"), String(answer.body.count))
        let objects = try XCTUnwrap(answer.json as? [[String: Any]])
        XCTAssertEqual(objects.map { $0["depth"] as? Double }, [101, 102, 103])
        XCTAssertEqual(answer.summary.frames, 3)
    }

    func testLimitCutsTheRange() {
        let answer = WebLayer.withWell().get("/frames?depth_min=100&depth_max=104&limit=2")
        XCTAssertEqual(answer.header("X-Frame-Count"), "2")
        XCTAssertEqual(answer.header("X-Depth-Max"), "101.0")
    }

    func testTheAnswerIsValidatedAndVariesWithAcceptWhenNegotiated() {
        let negotiated = WebLayer.withWell().get("/frames?depth_min=100&depth_max=101")
        XCTAssertEqual(negotiated.header("Cache-Control"), "public, max-age=60")
        XCTAssertEqual(negotiated.header("Vary"), "Accept")
        XCTAssertNotNil(negotiated.header("ETag"))
        XCTAssertNil(WebLayer.withWell().get("/frames?depth_min=100&depth_max=101&format=json").header("Vary"))
    }

    func testPNGHasOneRowPerFrame() {
        let answer = WebLayer.withWell().get("/frames?depth_min=100&depth_max=102&format=png")
        XCTAssertEqual(answer.status, 200)
        XCTAssertEqual(answer.header("Content-Type"), "image/png")
        XCTAssertEqual(Array(answer.body.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        // IHDR: width then height, big-endian, right after the signature and the chunk's length and type.
        XCTAssertEqual(Array(answer.body[16..<24]), [0, 0, 0, 4, 0, 0, 0, 3])
    }

    func testAnEmptyRangeAsPNGIsNoContentWithItsCount() {
        for target in ["/frames?depth_min=500&depth_max=600&format=png",
                       "/frames?depth_min=500&depth_max=600&format=png&height=10",
                       "/frames?depth_min=500&depth_max=600&format=png&generation=1"] {
            let answer = WebLayer.withWell().get(target)
            XCTAssertEqual(answer.status, 204, target)
            XCTAssertEqual(answer.header("X-Frame-Count"), "0", target)
            XCTAssertNil(answer.header("Content-Length"), target)
            XCTAssertTrue(answer.body.isEmpty, target)
        }
    }

    func testAnEmptyRangeAsJSONIsAnEmptyArray() {
        let answer = WebLayer.withWell().get("/frames?depth_min=500&depth_max=600&format=json")
        XCTAssertEqual(answer.status, 200)
        XCTAssertEqual(answer.text, "[]")
    }

    func testAnUnknownDatasetIs404() {
        assertProblem(WebLayer.withWell().get("/frames?depth_min=1&depth_max=2&dataset=other"), 404, "unknown dataset 'other'")
    }

    func testAnUnnamedRequestAmongSeveralDatasetsMustNameOne() {
        let web = WebLayer.withWell()
        web.data.add("core", frames: frames(count: 1))
        assertProblem(web.get("/frames?depth_min=1&depth_max=2"), 400, "several datasets exist; name one with dataset=: core, well")
    }

    func testNoDatasetLoadedYet() {
        XCTAssertEqual(WebLayer().get("/frames?depth_min=1&depth_max=2").detail, "unknown dataset '(none loaded yet)'")
    }

    func testAnUnknownColormapBlamesItsParameter() {
        let answer = WebLayer.withWell().get("/frames?depth_min=1&depth_max=2&colormap=nope")
        XCTAssertEqual(answer.status, 400)
        XCTAssertTrue(answer.detail?.hasPrefix("colormap: ") == true, answer.detail ?? "")
        XCTAssertTrue(WebLayer.withWell().get("/frames?depth_min=1&depth_max=2&colors=zz").detail?.hasPrefix("colors: ") == true)
    }

    func testAColormapChangesTheColoursAndTheTag() throws {
        let web = WebLayer.withWell()
        let gray = web.get("/frames?depth_min=100&depth_max=100&colormap=gray")
        let jet = web.get("/frames?depth_min=100&depth_max=100&colormap=jet")
        XCTAssertNotEqual(gray.body, jet.body)
        XCTAssertNotEqual(gray.header("ETag"), jet.header("ETag"))
    }

    func testHeightBinsTheRangeIntoAtMostThatManyRows() {
        let answer = WebLayer.withWell(frames: 40).get("/frames?depth_min=100&depth_max=139&height=10&format=json")
        XCTAssertEqual(answer.status, 200)
        XCTAssertLessThanOrEqual(Int(answer.header("X-Frame-Count") ?? "") ?? 99, 10)
        XCTAssertGreaterThan(Int(answer.header("X-Frame-Count") ?? "") ?? 0, 0)
    }

    func testAPastGenerationIsImmutableAndReadFromItsOwnFrames() throws {
        let web = WebLayer.withWell(frames: 3)
        web.data.add("well", frames: frames(count: 6), generation: 2)
        let past = web.get("/frames?depth_min=100&depth_max=200&generation=1&format=json")
        XCTAssertEqual(past.status, 200)
        XCTAssertEqual(past.header("X-Frame-Count"), "3")
        XCTAssertEqual(past.header("Cache-Control"), "public, max-age=31536000, immutable")
        XCTAssertEqual(web.get("/frames?depth_min=100&depth_max=200&format=json").header("X-Frame-Count"), "6")
        XCTAssertEqual(web.get("/frames?depth_min=100&depth_max=200&generation=9").status, 404)
    }

    func testADatabaseOutageIs503WithRetryAfter() {
        let web = WebLayer.withWell()
        web.data.failure = .databaseUnavailable(retryAfterSeconds: 5)
        let answer = web.get("/frames?depth_min=100&depth_max=101")
        XCTAssertEqual(answer.status, 503)
        XCTAssertEqual(answer.header("Retry-After"), "5")
        XCTAssertEqual(answer.header("Cache-Control"), "no-store")
    }
}
