@testable import FastCGICommand
import Foundation
import FramesCore
import XCTest

/// What the worker keeps around each request, with its real counter files in a scratch state folder.
final class BookkeepingTests: XCTestCase {
    private var folder = ""

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "frames-bookkeeping-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder + "/metrics", withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(atPath: folder)
    }

    private func bookkeeping(_ counters: WorkerCounters?, slots: StreamSlots,
                             publisher: MetricsPublisher? = nil) -> RequestBookkeeping {
        RequestBookkeeping(counters: counters, publisher: publisher, streams: slots,
                           database: DatabaseSession(conninfo: ""), requestTimeout: 0,
                           recycling: WorkerRecycling(maxRequests: 0, maxResidentMB: 0))
    }

    private func request(_ target: String) -> IncomingRequest {
        IncomingRequest(parameter: ["REQUEST_METHOD": "GET", "DOCUMENT_URI": target, "QUERY_STRING": ""].get)
    }

    func testAStreamSlotTakenDuringARequestIsGivenBackWhenItEnds() throws {
        let counters = try XCTUnwrap(WorkerCounters(stateDirectory: folder))
        let slots = PoolStreamSlots(limit: 1, counters: counters)
        var keeping = bookkeeping(counters, slots: slots)
        var busyDuring = false, streamingDuring = false
        let next = keeping.around(request("/frames"), finish: {}) {
            try? slots.claim()
            busyDuring = counters.busy
            streamingDuring = counters.streaming
            return RequestSummary(route: .frames, status: 200)
        }
        XCTAssertNil(next, "the worker goes on")
        XCTAssertTrue(busyDuring)
        XCTAssertTrue(streamingDuring)
        XCTAssertFalse(counters.busy)
        XCTAssertFalse(counters.streaming, "the slot is free for the next stream")
    }

    func testTheRequestIsCountedAndPublishedForThePool() throws {
        let counters = try XCTUnwrap(WorkerCounters(stateDirectory: folder))
        let publisher = MetricsPublisher(counters: counters, metricsDirectory: folder + "/metrics", companionFiles: [
            (name: "extra.prom", text: { "extra 1\n" }),
        ])
        var keeping = bookkeeping(counters, slots: PoolStreamSlots(limit: 0, counters: counters), publisher: publisher)
        _ = keeping.around(request("/statistics"), finish: {}) { RequestSummary(route: .statistics, status: 404) }
        publisher?.publishIfDue(force: true)
        let text = try String(contentsOfFile: folder + "/metrics/frames_pool.prom", encoding: .utf8)
        XCTAssertTrue(text.contains(#"frames_http_requests_total{route="/statistics",code="4xx",outcome="answered"} 1"#), text)
        XCTAssertEqual(try String(contentsOfFile: folder + "/metrics/extra.prom", encoding: .utf8), "extra 1\n")
    }

    func testFinishEndsTheRequestBeforeTheWorkerGoesOn() {
        var keeping = bookkeeping(nil, slots: CountingStreamSlots())
        var finished = false
        _ = keeping.around(request("/health"), finish: { finished = true }) { RequestSummary(route: .health, status: 200) }
        XCTAssertTrue(finished)
    }
}

private extension Dictionary where Key == String, Value == String {
    func get(_ name: String) -> String? { self[name] }
}
