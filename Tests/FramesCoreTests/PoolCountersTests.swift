import FramesCore
import XCTest

final class PoolCountersTests: XCTestCase {
    private func apply(_ increments: [(Int, UInt64)], to counters: inout PoolCounters) {
        for (slot, amount) in increments { counters.slots[slot] += amount }
    }

    func testRequestsLandInRouteStatusAndHistogram() {
        var counters = PoolCounters()
        apply(PoolCounters.increments(route: .frames, status: 200, seconds: 0.004, frames: 100, bytes: 5000), to: &counters)
        apply(PoolCounters.increments(route: .frames, status: 404, seconds: 2, frames: 0, bytes: 80), to: &counters)
        apply(PoolCounters.increments(route: nil, status: 503, seconds: 9, frames: 0, bytes: 10), to: &counters)
        let text = counters.prometheusText(workersAlive: 3, workerRestarts: 1)
        XCTAssertTrue(text.contains("frames_http_requests_total{route=\"/frames\",code=\"2xx\",outcome=\"answered\"} 1\n"))
        XCTAssertTrue(text.contains("frames_http_requests_total{route=\"/frames\",code=\"4xx\",outcome=\"answered\"} 1\n"))
        XCTAssertTrue(text.contains("frames_http_requests_total{route=\"unknown\",code=\"5xx\",outcome=\"answered\"} 1\n"))
        XCTAssertTrue(text.contains("frames_http_request_duration_seconds_bucket{le=\"0.005\"} 1\n"))
        XCTAssertTrue(text.contains("frames_http_request_duration_seconds_bucket{le=\"2.5\"} 2\n"))
        XCTAssertTrue(text.contains("frames_http_request_duration_seconds_bucket{le=\"+Inf\"} 3\n"))
        XCTAssertTrue(text.contains("frames_http_request_duration_seconds_sum 11.004\n"))
        XCTAssertTrue(text.contains("frames_frames_served_total 100\n"))
        XCTAssertTrue(text.contains("frames_http_response_body_bytes_total 5090\n"))
        XCTAssertTrue(text.contains("frames_pool_workers_alive 3\n"))
        XCTAssertTrue(text.contains("frames_pool_worker_restarts_total 1\n"))
    }

    func testRefusalsAreCountedApartFromAnsweredClientErrors() {
        var counters = PoolCounters()
        for outcome in [RequestOutcome.unauthorized, .rateLimited, .rateLimited, .forbidden, .answered] {
            apply(PoolCounters.increments(route: .frames, status: 403, outcome: outcome, seconds: 0.001, frames: 0, bytes: 9),
                  to: &counters)
        }
        let samples = PrometheusText.samples(in: counters.prometheusText(workersAlive: 1, workerRestarts: 0))
        let frames = { (outcome: String) in samples["frames_http_requests_total{route=\"/frames\",code=\"4xx\",outcome=\"\(outcome)\"}"] }
        XCTAssertEqual([frames("answered"), frames("unauthorized"), frames("forbidden"), frames("rate_limited")], [1, 1, 1, 2])
        XCTAssertEqual(samples["frames_http_requests_total{route=\"/health\",code=\"4xx\",outcome=\"rate_limited\"}"], 0)
        XCTAssertEqual(samples["frames_http_request_duration_seconds_count"], 5)
    }

    func testOutcomesFollowTheRequestErrors() {
        XCTAssertEqual(RequestOutcome(nil), .answered)
        XCTAssertEqual(RequestOutcome(.unauthorized(reason: "x")), .unauthorized)
        XCTAssertEqual(RequestOutcome(.forbidden(dataset: "d")), .forbidden)
        XCTAssertEqual(RequestOutcome(.rateLimited(limit: RateLimit(rate: 1, burst: 1), retryAfterSeconds: 1)), .rateLimited)
        XCTAssertEqual(RequestOutcome(.tokenInQuery(parameter: "key")), .answered)
    }

    func testSumsOfWorkersAddSlotwise() {
        var a = PoolCounters(), b = PoolCounters()
        apply(PoolCounters.increments(route: .health, status: 200, seconds: 0.0001, frames: 0, bytes: 40), to: &a)
        apply(PoolCounters.increments(route: .health, status: 200, seconds: 0.0001, frames: 0, bytes: 40), to: &b)
        XCTAssertTrue((a + b).prometheusText(workersAlive: 2, workerRestarts: 0)
            .contains("frames_http_requests_total{route=\"/health\",code=\"2xx\",outcome=\"answered\"} 2\n"))
    }

    func testBusyWorkersCountOnlyWhileAliveAndNeverCarryOverFromAGoneOne() {
        var serving = PoolCounters(), killed = PoolCounters()
        serving.slots[PoolCounters.busySlot] = 1
        killed.slots[PoolCounters.busySlot] = 1
        apply(PoolCounters.increments(route: .frames, status: 200, seconds: 0.01, frames: 5, bytes: 100), to: &killed)
        let samples = PrometheusText.samples(in: (serving + killed.retired).prometheusText(workersAlive: 1, workerRestarts: 1))
        XCTAssertEqual(samples["frames_pool_workers_busy"], 1)
        XCTAssertEqual(samples["frames_frames_served_total"], 5, "the gone worker's counts stay")
    }

    func testStreamsInFlightAreAGaugeAndQueueFullSightingsACount() {
        var streaming = PoolCounters(), killed = PoolCounters()
        streaming.slots[PoolCounters.streamingSlot] = 1
        streaming.slots[PoolCounters.queueFullSlot] = 2
        killed.slots[PoolCounters.streamingSlot] = 1
        killed.slots[PoolCounters.queueFullSlot] = 3
        let text = (streaming + killed.retired).prometheusText(workersAlive: 1, workerRestarts: 1,
                                                               queue: ListenQueue(length: 4, capacity: 32))
        let samples = PrometheusText.samples(in: text)
        XCTAssertEqual(samples["frames_pool_streams"], 1, "a gone worker's stream is over")
        XCTAssertEqual(samples["frames_pool_queue_full_total"], 5)
        XCTAssertEqual(samples["frames_pool_queue_length"], 4)
        XCTAssertEqual(samples["frames_pool_queue_capacity"], 32)
        XCTAssertNil(PrometheusText.samples(in: streaming.prometheusText(workersAlive: 1, workerRestarts: 0))["frames_pool_queue_length"],
                     "no figure when the queue could not be read")
    }

    func testTheQueueIsFullOnlyOnceTheKernelRefusesArrivals() {
        XCTAssertFalse(ListenQueue(length: 32, capacity: 32).wasFull(beforeTaking: 0))
        XCTAssertTrue(ListenQueue(length: 33, capacity: 32).wasFull(beforeTaking: 0))
        XCTAssertTrue(ListenQueue(length: 32, capacity: 32).wasFull(beforeTaking: 1), "one just accepted")
        XCTAssertFalse(ListenQueue(length: 31, capacity: 32).wasFull(beforeTaking: 1))
    }

    func testSamplesReadBackWhatWasWritten() {
        var text = PrometheusText()
        text.family("x_total", .counter, help: "An example.")
        text.sample("x_total", [("reason", "a\"b")], 41)
        text.sample("y_seconds", 0.25)
        let samples = PrometheusText.samples(in: text.text)
        XCTAssertEqual(samples["x_total{reason=\"a\\\"b\"}"], 41)
        XCTAssertEqual(samples["y_seconds"], 0.25)
        XCTAssertTrue(text.text.hasPrefix("# HELP x_total An example.\n# TYPE x_total counter\n"))
    }
}
