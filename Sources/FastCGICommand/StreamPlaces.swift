import FramesCore

/// The pool's cap on NDJSON streams sent at once (`FRAMES_MAX_STREAMS`). A stream holds its worker as
/// long as its client takes to read it, up to `FRAMES_STREAM_TIMEOUT`; with the cap, slow stream
/// readers can never hold every worker, and JSON and PNG answers always find one free. A stream past
/// the cap is answered 503 with Retry-After before any database work.
final class StreamPlaces {
    /// 0: no cap.
    let limit: Int
    /// Where the workers' stream flags live; without it (no state folder) nothing is counted or capped.
    private let counters: SharedCounters?
    /// Streams are short unless the client is slow; a place frees within the stream timeout.
    static let retryAfterSeconds = 2

    init(limit: Int, counters: SharedCounters?) {
        self.limit = limit
        self.counters = counters
    }

    func claim() throws(RequestError) {
        guard let counters else { return }
        guard counters.claimStream(limit: limit) else {
            throw .streamsBusy(limit: limit, retryAfterSeconds: Self.retryAfterSeconds)
        }
    }

    /// After every request: a plain store, whether a place was taken or not.
    func release() { counters?.releaseStream() }
}
