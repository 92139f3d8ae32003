import FramesCore

/// The pool's cap on NDJSON streams sent at once (`FRAMES_MAX_STREAMS`). A stream holds its worker as
/// long as its client takes to read it, up to `FRAMES_STREAM_TIMEOUT`; with the cap, slow stream
/// readers can never hold every worker, and JSON and PNG answers always find one free. A stream past
/// the cap is answered 503 with Retry-After before any database work.
protocol StreamSlots: AnyObject {
    /// Takes a slot for the request being answered, or throws `.streamsBusy`.
    func claim() throws(RequestError)
    /// After every request, whether a slot was taken or not.
    func release()
}
