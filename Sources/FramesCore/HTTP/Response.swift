/// What an endpoint answers. The server's one writer turns it into bytes; the head is built here, so
/// the status, `Content-Length` and cache headers of every answer come from one function.
public enum Response {
    /// A body built whole, sent with its length.
    case whole(Representation, body: [UInt8])
    /// A body produced row by row as it is sent (no length known in advance).
    case stream(Representation, rows: RowProducer)
    /// The client's copy, named by `If-None-Match`, is current.
    case notModified(Caching)
    case failure(RequestError)

    /// The head to send, and the body when it is known in advance.
    public var head: ResponseHead {
        switch self {
        case .whole(let representation, let body):
            // 204 and 304 have no body, so no length (RFC 9110 §8.6).
            return representation.head(contentLength: representation.status == .noContent ? nil : body.count)
        case .stream(let representation, _):
            var head = representation.head(contentLength: nil)
            // Rows go out as they come; nginx must not hold them back to fill its buffers.
            head.add("X-Accel-Buffering", "no")
            return head
        case .notModified(let caching):
            return ResponseHead(status: .notModified, fields: caching.fields)
        case .failure(let error):
            let problem = error.problem
            return Representation(status: problem.status, contentType: "application/problem+json",
                                  fields: problem.extraFields, caching: .noStore)
                .head(contentLength: problem.jsonBody.count)
        }
    }

    /// The same answer for a request whose API key was checked (see `Caching.forOneClient`).
    public var keptPrivate: Response {
        switch self {
        case .whole(var representation, let body):
            representation.caching = representation.caching.keptPrivate
            return .whole(representation, body: body)
        case .stream(var representation, let rows):
            representation.caching = representation.caching.keptPrivate
            return .stream(representation, rows: rows)
        case .notModified(let caching): return .notModified(caching.keptPrivate)
        case .failure: return self
        }
    }

    /// The body of a whole answer or an error; empty for the others.
    public var body: [UInt8] {
        switch self {
        case .whole(_, let body): body
        case .failure(let error): error.problem.jsonBody
        case .stream, .notModified: []
        }
    }

    /// The frames the body holds, for logs and metrics (a stream counts its own rows).
    public var frames: Int {
        if case .whole(let representation, _) = self { return representation.frames }
        return 0
    }
}

/// Appends the next row of a streamed body to the buffer; false once there are no more rows.
public typealias RowProducer = (inout [UInt8]) throws(RequestError) -> Bool

/// Everything about an answer but its body.
public struct Representation {
    public var status: HTTPStatus
    public var contentType: String
    /// Headers of this answer alone (`X-Frame-Count`, `Allow`, …).
    public var fields: [HTTPField]
    public var caching: Caching
    public var frames: Int

    public init(status: HTTPStatus = .ok, contentType: String, fields: [HTTPField] = [], caching: Caching,
                frames: Int = 0) {
        self.status = status
        self.contentType = contentType
        self.fields = fields
        self.caching = caching
        self.frames = frames
    }

    func head(contentLength: Int?) -> ResponseHead {
        var head = ResponseHead(status: status, fields: [HTTPField("Content-Type", contentType)])
        if let contentLength { head.add("Content-Length", String(contentLength)) }
        for field in caching.fields + fields { head.add(field.name, field.value) }
        return head
    }
}
