@testable import FastCGICommand
import FramesCore
import XCTest

/// NDJSON streams: rows as they come, a slot of the pool's cap, and how a stream ends early.
final class StreamTests: XCTestCase {
    func testNDJSONStreamsOneLinePerFrameWithoutALength() {
        let web = WebLayer.withWell()
        let answer = web.get("/frames?depth_min=100&depth_max=103&format=ndjson")
        XCTAssertEqual(answer.status, 200)
        XCTAssertEqual(answer.header("Content-Type"), "application/x-ndjson")
        XCTAssertNil(answer.header("Content-Length"))
        XCTAssertEqual(answer.header("X-Accel-Buffering"), "no")
        XCTAssertEqual(answer.lines.map { $0["depth"] as? Double }, [100, 101, 102, 103])
        XCTAssertFalse(answer.sink.sentComplete, "a stream is written, not sent whole")
        XCTAssertEqual(answer.summary.frames, 4)
        XCTAssertEqual(answer.summary.bytes, answer.body.count)
    }

    func testNegotiatedFromAccept() {
        let answer = WebLayer.withWell().get("/frames?depth_min=100&depth_max=101", headers: ["Accept": "application/x-ndjson"])
        XCTAssertEqual(answer.header("Content-Type"), "application/x-ndjson")
        XCTAssertEqual(answer.header("Vary"), "Accept")
    }

    func testAStreamTakesASlotAndThePoolsCapRefusesOneMore() {
        let web = WebLayer.withWell()
        _ = web.get("/frames?depth_min=100&depth_max=101&format=ndjson")
        XCTAssertEqual(web.streams.claims, 1)
        XCTAssertEqual(web.get("/frames?depth_min=100&depth_max=101&format=json").status, 200)
        XCTAssertEqual(web.streams.claims, 1, "whole answers need no slot")
        web.streams.taken = web.streams.limit
        let busy = web.get("/frames?depth_min=100&depth_max=101&format=ndjson")
        XCTAssertEqual(busy.status, 503)
        XCTAssertEqual(busy.header("Retry-After"), "2")
        XCTAssertEqual(busy.detail, "all 2 places for NDJSON streams are taken; retry later, or ask for JSON")
    }

    func testAPastGenerationAsNDJSONIsBuiltWholeWithoutASlot() {
        let web = WebLayer.withWell()
        let answer = web.get("/frames?depth_min=100&depth_max=101&format=ndjson&generation=1")
        XCTAssertEqual(answer.status, 200)
        XCTAssertTrue(answer.sink.sentComplete)
        XCTAssertEqual(answer.lines.count, 2)
        XCTAssertEqual(web.streams.claims, 0)
    }

    func testAConnectionLostMidStreamStopsSendingButReadsTheStatementToItsEnd() {
        let web = WebLayer.withWell(frames: 3000)
        let sink = RecordingSink()
        sink.failAfterFlushes = 1
        let answer = web.request("GET", "/frames?depth_min=0&depth_max=9999&format=ndjson", sink: sink)
        XCTAssertTrue(sink.abandoned)
        XCTAssertLessThan(answer.summary.frames, 3000)
        XCTAssertGreaterThan(answer.summary.frames, 0)
        XCTAssertEqual(web.data.streamedFrames, 3000, "the rows after the cut are still read off the connection")
    }

    func testAStreamThatFailsAfterItsHeadEndsShortAndLooksCut() {
        let web = WebLayer.withWell(frames: 3)
        web.data.streamFailsAfter = 2
        let answer = web.get("/frames?depth_min=0&depth_max=9999&format=ndjson")
        XCTAssertEqual(answer.status, 200, "the head was out before the failure")
        XCTAssertEqual(answer.lines.count, 2)
        XCTAssertTrue(answer.sink.abandoned, "the client must see the body cut, not complete")
    }

    func testACompleteStreamIsNotAbandoned() {
        let answer = WebLayer.withWell(frames: 3).get("/frames?depth_min=0&depth_max=9999&format=ndjson")
        XCTAssertEqual(answer.lines.count, 3)
        XCTAssertFalse(answer.sink.abandoned)
    }

    func testAStreamUnderABudgetBoundsItsWrites() {
        let web = WebLayer.withWell()
        web.streamSeconds = 30
        let answer = web.get("/frames?depth_min=100&depth_max=101&format=ndjson")
        XCTAssertEqual(answer.sink.budget?.seconds, 30)
    }
}
