import FramesCore
import ProcessSupport

/// What a worker keeps around each request, taken and given back in one scope: the busy flag and the
/// queue sample, the watchdog's alarm, the stream slot an answer may have claimed, the counts, the
/// log line and whether the worker should make way for a fresh one.
struct RequestBookkeeping {
    let counters: WorkerCounters?
    let publisher: MetricsPublisher?
    let streams: StreamSlots
    let database: DatabaseSession
    let requestTimeout: Int
    var recycling: WorkerRecycling

    /// Runs `handle` for `request`, then `finish` (the end of the request on the connection). Returns
    /// nil to go on, or the status the worker exits with.
    mutating func around(_ request: IncomingRequest, finish: () -> Void, _ handle: () -> RequestSummary) -> SysExit? {
        let started = Clock.monotonicSeconds
        counters?.sampleQueueAtAccept()
        RequestWatchdog.requestStarted()
        counters?.busy = true
        let summary = handle()
        let overran = RequestWatchdog.requestFinished()
        counters?.busy = false
        streams.release()
        finish()
        let seconds = Clock.monotonicSeconds - started
        counters?.record(summary, seconds: seconds)
        counters?.recordDatabase(errors: database.errors, reconnects: database.reconnects)
        publisher?.publishIfDue()
        Log.info("request", ["method": .string(request.method), "path": .string(request.path),
                             "status": .int(summary.status), "duration_ms": .double((seconds * 1e6).rounded() / 1e3),
                             "frames": .int(summary.frames), "bytes": .int(summary.bytes),
                             "key": .string(summary.keyName ?? ""), "request_id": .string(request.requestID ?? "")])
        if overran {
            Log.error("request ran past FRAMES_REQUEST_TIMEOUT and its statement was cancelled; the worker exits",
                      ["seconds": .int(requestTimeout), "path": .string(request.path),
                       "request_id": .string(request.requestID ?? "")])
            return .software
        }
        if let reason = recycling.recordRequest() {
            // The response is complete; requests waiting on the shared socket go to the other workers
            // until multiwatch has started this one's successor.
            Log.info("worker recycled", ["reason": .string(reason)])
            return .ok
        }
        return nil
    }
}
