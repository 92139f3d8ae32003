import FramesCore
import ProcessSupport

/// Where a response goes: the FastCGI stdout stream in production.
protocol ResponseSink: AnyObject {
    /// A whole answer and the end of the request, at once (nothing written before).
    func sendComplete(_ bytes: [UInt8])
    func write(_ bytes: [UInt8])
    /// Sends what is buffered; false once the connection has failed (nginx went away, or a write
    /// waited past the budget).
    @discardableResult func flush() -> Bool
    /// Bounds every later write of this response by the budget's end.
    func limitWrites(by budget: StreamBudget)
    /// Gives up on the connection: nginx keeps what it got, without the response's end.
    func abandon()
}

/// What a finished request reports, for logs and metrics.
struct RequestSummary {
    /// nil when the request matched no route.
    var route: Route?
    var status: Int
    /// The name of the API key the request was admitted with.
    var keyName: String?
    /// Answered, or refused by access control (401, 403, 429).
    var outcome = RequestOutcome.answered
    /// Frames and bytes in the body sent (none for HEAD).
    var frames = 0
    var bytes = 0
}

/// The one writer: every answer, whole, streamed, 304 or error, leaves through `send`, which also
/// decides what HEAD gets (the same head, no body), adds the CORS headers (so that errors carry them
/// too) and what the summary says.
struct ResponseWriter {
    let sink: ResponseSink
    let crossOrigin: CrossOriginPolicy
    /// How long a stream may hold the worker (`FRAMES_STREAM_TIMEOUT`; 0: no bound).
    let streamSeconds: Double
    /// A streamed body goes out in pieces of about this size, each flushed to nginx.
    private static let chunkSize = 1 << 15

    /// `dataset` is the request's `dataset=`, for the log of a stream cut short.
    func send(_ response: Response, for request: IncomingRequest, route: Route?, dataset: String?) -> RequestSummary {
        var head = response.head
        crossOrigin.apply(to: &head, origin: request.origin)
        let withBody = request.method != "HEAD"
        var summary = RequestSummary(route: route, status: head.status.code)
        if case .stream(_, let rows) = response {
            sink.write(head.bytes)
            let sent = stream(rows, withBody: withBody, request: request, dataset: dataset ?? "")
            summary.frames = sent.frames
            summary.bytes = sent.bytes
        } else if withBody {
            let body = response.body
            sink.sendComplete(head.bytes + body)
            summary.frames = response.frames
            summary.bytes = body.count
        } else {
            sink.sendComplete(head.bytes)
        }
        return summary
    }

    /// Sends rows in bounded chunks until the producer ends. For HEAD the rows are still read (the
    /// statement must finish on the connection) but not sent; so are the rows after a cut.
    private func stream(_ rows: RowProducer, withBody: Bool, request: IncomingRequest,
                        dataset: String) -> (frames: Int, bytes: Int) {
        let budget = StreamBudget(seconds: streamSeconds, startedAt: Clock.monotonicSeconds)
        if withBody { sink.limitWrites(by: budget) }
        var chunk: [UInt8] = []
        chunk.reserveCapacity(2 * Self.chunkSize)
        var frames = 0, sent = (frames: 0, bytes: 0)
        var sending = withBody, complete = true
        do throws(RequestError) {
            while try rows(&chunk) {
                frames += 1
                guard chunk.count >= Self.chunkSize else { continue }
                if sending {
                    sending = !budget.isSpent(at: Clock.monotonicSeconds) && deliver(chunk)
                    if sending { sent = (frames, sent.bytes + chunk.count) } else { cut(request, dataset, budget, sent) }
                }
                chunk.removeAll(keepingCapacity: true)
            }
        } catch {
            // The head is out and its status cannot change: the body ends short, and the log says why.
            complete = false
            Log.warning("stream ended early", ["path": .string(request.path), "error": .string("\(error)"),
                                               "frames": .int(frames), "request_id": .string(request.requestID ?? "")])
        }
        if sending {
            guard !budget.isSpent(at: Clock.monotonicSeconds), deliver(chunk) else {
                cut(request, dataset, budget, sent)
                return sent
            }
            sent = (frames, sent.bytes + chunk.count)
            // A body that ends short must look cut to the client too, not complete.
            if !complete { sink.abandon() }
        }
        return sent
    }

    private func deliver(_ chunk: [UInt8]) -> Bool {
        sink.write(chunk)
        return sink.flush()
    }

    /// The worker stops writing: nginx passes on what it has and the client sees the body end without
    /// its last record. The log tells a client that read too slowly from one that went away.
    private func cut(_ request: IncomingRequest, _ dataset: String, _ budget: StreamBudget,
                     _ sent: (frames: Int, bytes: Int)) {
        sink.abandon()
        let fields: [String: LogValue] = ["path": .string(request.path), "dataset": .string(dataset),
                                          "frames": .int(sent.frames), "bytes": .int(sent.bytes),
                                          "request_id": .string(request.requestID ?? "")]
        if budget.isSpent(at: Clock.monotonicSeconds) {
            Log.warning("stream cut: the client read too slowly for FRAMES_STREAM_TIMEOUT",
                        fields.merging(["seconds": .double(budget.seconds)]) { $1 })
        } else {
            Log.info("stream cut: the connection closed", fields)
        }
    }
}
