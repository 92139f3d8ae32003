import FramesCore

/// The pool's cap on NDJSON streams sent at once (`FRAMES_MAX_STREAMS`). A stream holds its worker as
/// long as its client takes to read it, up to `FRAMES_STREAM_TIMEOUT`; with the cap, slow stream
/// readers can never hold every worker, and JSON and PNG answers always find one free. A stream past
/// the cap is answered 503 with Retry-After before any database work.
///
/// The endpoint that streams claims a slot, as only it knows the answer will be a stream; the slot is
/// given back once the stream has been sent, by the bookkeeping whose scope holds the whole request
/// (`RequestBookkeeping.around`).
protocol StreamSlots: AnyObject {
    /// Takes a slot for the request being answered, or throws `.streamsBusy`.
    func claim() throws(RequestError)
    /// After every request, whether a slot was taken or not.
    func release()
}
