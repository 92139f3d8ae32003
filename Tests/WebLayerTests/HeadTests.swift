@testable import FastCGICommand
import FramesCore
import XCTest

/// HEAD gets GET's head, without a body, on every kind of answer.
final class HeadTests: XCTestCase {
    func testHeadHasGetsHeadersAndNoBody() {
        let web = WebLayer.withWell()
        for target in ["/frames?depth_min=100&depth_max=102&format=json", "/frames?depth_min=100&depth_max=102&format=png",
                       "/statistics", "/colormaps/gray.png", "/datasets", "/health", "/nope"] {
            let get = web.get(target)
            let head = web.request("HEAD", target)
            XCTAssertEqual(head.status, get.status, target)
            XCTAssertTrue(head.body.isEmpty, target)
            XCTAssertEqual(head.header("Content-Length"), get.header("Content-Length"), target)
            XCTAssertEqual(head.header("Content-Type"), get.header("Content-Type"), target)
            XCTAssertEqual(head.summary.bytes, 0, target)
        }
    }

    func testHeadOfAStreamReadsTheRowsButSendsNone() {
        let web = WebLayer.withWell()
        let head = web.request("HEAD", "/frames?depth_min=100&depth_max=104&format=ndjson")
        XCTAssertEqual(head.status, 200)
        XCTAssertTrue(head.body.isEmpty)
        XCTAssertEqual(web.data.streamedFrames, 5, "the statement runs to its end on the connection")
        XCTAssertNil(head.sink.budget, "nothing is written, so nothing is bounded")
    }
}
