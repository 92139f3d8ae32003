/// An HTTP status code with the reason phrase that goes on the CGI `Status:` line
/// (and, for errors, into the problem's `title`).
public struct HTTPStatus: Sendable, Equatable {
    public let code: Int
    public let reason: String

    public init(code: Int, reason: String) {
        self.code = code
        self.reason = reason
    }

    public static let ok = HTTPStatus(code: 200, reason: "OK")
    public static let noContent = HTTPStatus(code: 204, reason: "No Content")
    public static let notModified = HTTPStatus(code: 304, reason: "Not Modified")
    public static let badRequest = HTTPStatus(code: 400, reason: "Bad Request")
    public static let unauthorized = HTTPStatus(code: 401, reason: "Unauthorized")
    public static let forbidden = HTTPStatus(code: 403, reason: "Forbidden")
    public static let notFound = HTTPStatus(code: 404, reason: "Not Found")
    public static let methodNotAllowed = HTTPStatus(code: 405, reason: "Method Not Allowed")
    public static let tooManyRequests = HTTPStatus(code: 429, reason: "Too Many Requests")
    public static let internalServerError = HTTPStatus(code: 500, reason: "Internal Server Error")
    public static let serviceUnavailable = HTTPStatus(code: 503, reason: "Service Unavailable")
}

/// One response header line.
public struct HTTPField: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// The head of a CGI response, as a FastCGI responder writes it before the body:
/// `Status: 200 OK\r\nContent-Type: …\r\n…\r\n\r\n`. The web server turns it into the HTTP head.
public struct ResponseHead: Sendable, Equatable {
    public var status: HTTPStatus
    public private(set) var fields: [HTTPField]

    public init(status: HTTPStatus, fields: [HTTPField] = []) {
        self.status = status
        self.fields = fields
    }

    public mutating func add(_ name: String, _ value: String) {
        fields.append(HTTPField(name, value))
    }

    /// Adds a request header to the one `Vary` line: clients that keep one value per header name would
    /// lose a second line.
    public mutating func vary(on name: String) {
        if let index = fields.firstIndex(where: { $0.name == "Vary" }) {
            fields[index].value += ", " + name
        } else {
            add("Vary", name)
        }
    }

    public func append(to out: inout [UInt8]) {
        out.append(contentsOf: "Status: ".utf8)
        out.append(contentsOf: String(status.code).utf8)
        out.append(UInt8(ascii: " "))
        appendSanitized(status.reason, to: &out)
        out.append(contentsOf: "\r\n".utf8)
        for field in fields {
            appendSanitized(field.name, to: &out)
            out.append(contentsOf: ": ".utf8)
            appendSanitized(field.value, to: &out)
            out.append(contentsOf: "\r\n".utf8)
        }
        out.append(contentsOf: "\r\n".utf8)
    }

    public var bytes: [UInt8] {
        var out: [UInt8] = []
        append(to: &out)
        return out
    }

    /// Header values can echo request data (an ETag, a dataset name): a CR or LF in them would let
    /// a client forge headers, so control characters become spaces.
    private func appendSanitized(_ text: String, to out: inout [UInt8]) {
        for byte in text.utf8 {
            out.append(byte < 0x20 || byte == 0x7F ? UInt8(ascii: " ") : byte)
        }
    }
}
