@testable import FastCGICommand
import FramesCore
import XCTest

/// `If-None-Match` on every endpoint that tags its answers: a 304 with the same validators, and for
/// the current generation, before any frame is read.
final class ConditionalGETTests: XCTestCase {
    private func revalidate(_ web: WebLayer, _ target: String, file: StaticString = #filePath, line: UInt = #line) -> (Answer, Answer) {
        let first = web.get(target)
        XCTAssertEqual(first.status, 200, target, file: file, line: line)
        let tag = first.header("ETag") ?? ""
        XCTAssertFalse(tag.isEmpty, target, file: file, line: line)
        return (first, web.get(target, headers: ["If-None-Match": tag]))
    }

    func testEveryTaggedEndpointAnswers304ToItsOwnTag() {
        let web = WebLayer.withWell()
        for target in ["/frames?depth_min=100&depth_max=102", "/frames?depth_min=100&depth_max=102&generation=1",
                       "/statistics", "/statistics?generation=1", "/colormaps/viridis.png", "/datasets/well",
                       "/datasets/well?generation=1", "/datasets/well/generations",
                       "/datasets/well/changes?from=1&to=1"] {
            let (first, again) = revalidate(web, target)
            XCTAssertEqual(again.status, 304, target)
            XCTAssertTrue(again.body.isEmpty, target)
            XCTAssertEqual(again.header("ETag"), first.header("ETag"), target)
            XCTAssertEqual(again.header("Cache-Control"), first.header("Cache-Control"), target)
        }
    }

    func testACurrentRevalidationReadsNoFrames() {
        let web = WebLayer.withWell()
        let (_, again) = revalidate(web, "/frames?depth_min=100&depth_max=102")
        let reads = web.data.frameReads
        XCTAssertEqual(again.status, 304)
        _ = web.get("/frames?depth_min=100&depth_max=102", headers: ["If-None-Match": again.header("ETag") ?? ""])
        XCTAssertEqual(web.data.frameReads, reads, "a match is answered from the dataset's row alone")
    }

    func testANewGenerationChangesTheTag() {
        let web = WebLayer.withWell()
        let (first, _) = revalidate(web, "/frames?depth_min=100&depth_max=102")
        web.data.add("well", frames: frames(count: 5), generation: 2)
        let after = web.get("/frames?depth_min=100&depth_max=102", headers: ["If-None-Match": first.header("ETag") ?? ""])
        XCTAssertEqual(after.status, 200)
        XCTAssertNotEqual(after.header("ETag"), first.header("ETag"))
    }

    func testAnotherTagOrAWildcard() {
        let web = WebLayer.withWell()
        XCTAssertEqual(web.get("/datasets/well", headers: ["If-None-Match": "\"other\""]).status, 200)
        XCTAssertEqual(web.get("/datasets/well", headers: ["If-None-Match": "*"]).status, 304)
    }

    func testARevalidationOfAnUnknownDatasetIs404() {
        let answer = WebLayer.withWell().get("/frames?depth_min=1&depth_max=2&dataset=gone", headers: ["If-None-Match": "*"])
        XCTAssertEqual(answer.status, 404)
    }

    func testUntaggedDocumentsAreNeverNotModified() {
        XCTAssertEqual(WebLayer.withWell().get("/datasets", headers: ["If-None-Match": "*"]).status, 200)
    }
}
