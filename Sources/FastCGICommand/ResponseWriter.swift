import FramesCore
import ProcessSupport

/// Where a response goes: the FastCGI stdout stream in production.
protocol ResponseSink: AnyObject {
    func write(_ bytes: [UInt8])
    func flush()
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
    /// A streamed body goes out in pieces of about this size, each flushed to nginx.
    private static let chunkSize = 1 << 15

    func send(_ response: Response, for request: IncomingRequest, route: Route?) -> RequestSummary {
        var head = response.head
        crossOrigin.apply(to: &head, origin: request.origin)
        let withBody = request.method != "HEAD"
        sink.write(head.bytes)
        var summary = RequestSummary(route: route, status: head.status.code)
        if case .stream(_, let rows) = response {
            let sent = stream(rows, withBody: withBody, request: request)
            summary.frames = sent.frames
            summary.bytes = sent.bytes
        } else if withBody {
            let body = response.body
            if !body.isEmpty { sink.write(body) }
            summary.frames = response.frames
            summary.bytes = body.count
        }
        return summary
    }

    /// Sends rows in bounded chunks until the producer ends. For HEAD the rows are still read (the
    /// statement must finish on the connection) but not sent.
    private func stream(_ rows: RowProducer, withBody: Bool, request: IncomingRequest) -> (frames: Int, bytes: Int) {
        var chunk: [UInt8] = []
        chunk.reserveCapacity(2 * Self.chunkSize)
        var frames = 0, bytes = 0
        do throws(RequestError) {
            while try rows(&chunk) {
                frames += 1
                if chunk.count >= Self.chunkSize {
                    if withBody { sink.write(chunk); sink.flush() }
                    bytes += chunk.count
                    chunk.removeAll(keepingCapacity: true)
                }
            }
        } catch {
            // The head is out and its status cannot change: the body ends short, and the log says why.
            Log.warning("stream ended early", ["path": .string(request.path), "error": .string("\(error)"),
                                               "frames": .int(frames), "request_id": .string(request.requestID ?? "")])
        }
        if withBody { sink.write(chunk) }
        bytes += chunk.count
        return withBody ? (frames, bytes) : (0, 0)
    }
}
