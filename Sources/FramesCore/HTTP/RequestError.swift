/// Everything that ends a request with an error response. Other modules' errors (an unknown
/// colormap, a failed query) are wrapped into one of these by the server, so that `problem`
/// below stays the only place that decides status codes.
public enum RequestError: Error, Sendable, Equatable {
    /// A query parameter is missing or its value is unusable; `name` is the parameter.
    case badParameter(name: String, detail: String)
    /// Parameters the endpoint does not know, reported so that typos (`depthmin`) fail loudly.
    case unknownParameters(names: [String], allowed: [String])
    case repeatedParameter(name: String)
    /// The query string itself cannot be decoded (bad `%` escape, not UTF-8).
    case malformedQuery(detail: String)
    case unknownPath(String)
    case unknownDataset(String)
    /// `generation=G` names a generation that never was the dataset's, or was pruned; `detail` lists
    /// the readable ones.
    case unreadableGeneration(detail: String)
    case methodNotAllowed(method: String)
    case databaseUnavailable(retryAfterSeconds: Int)
    /// Every place for an NDJSON stream in the pool is taken (`FRAMES_MAX_STREAMS`): the rest of the
    /// workers stay free for whole answers.
    case streamsBusy(limit: Int, retryAfterSeconds: Int)
    /// No usable API token when one is required; `reason` says which (missing, malformed, not valid,
    /// revoked, expired) and never whether a guessed key id exists.
    case unauthorized(reason: String)
    /// An OAuth2 access token refused (RFC 6750): a fault of the token is 401, a missing scope 403.
    case accessTokenRefused(BearerTokenRefusal)
    /// The key is valid but does not cover this dataset.
    case forbidden(dataset: String)
    /// The key's rate limit is used up; a token comes back after `retryAfterSeconds`.
    case rateLimited(limit: RateLimit, retryAfterSeconds: Int)
    /// A token sent as the query parameter `parameter`: query strings end up in access logs.
    case tokenInQuery(parameter: String)
    /// A server fault. `reason` is for the log only: clients see a generic detail.
    case internalError(reason: String)
}

/// An RFC 9457 problem, ready to become a response.
public struct Problem: Sendable, Equatable {
    public var status: HTTPStatus
    public var detail: String
    public var extraFields: [HTTPField]

    /// `about:blank` says the status code is the whole story, so the title is its reason phrase.
    public var title: String { status.reason }
    public var type: String { "about:blank" }
}

extension RequestError {
    /// The one mapping from errors to status, detail and extra headers.
    public var problem: Problem {
        switch self {
        case .badParameter(_, let detail):
            Problem(status: .badRequest, detail: detail, extraFields: [])
        case .unknownParameters(let names, let allowed):
            Problem(status: .badRequest, detail: Self.unknownParametersDetail(names, allowed), extraFields: [])
        case .repeatedParameter(let name):
            Problem(status: .badRequest, detail: "parameter '\(name)' is given more than once", extraFields: [])
        case .malformedQuery(let detail):
            Problem(status: .badRequest, detail: "malformed query string: \(detail)", extraFields: [])
        case .unknownPath(let path):
            Problem(status: .notFound, detail: "no resource at '\(path)'", extraFields: [])
        case .unreadableGeneration(let detail):
            Problem(status: .notFound, detail: detail, extraFields: [])
        case .unknownDataset(let name):
            Problem(status: .notFound, detail: "unknown dataset '\(name)'", extraFields: [])
        case .methodNotAllowed(let method):
            Problem(status: .methodNotAllowed, detail: "method \(method) is not allowed; use GET or HEAD",
                    extraFields: [HTTPField("Allow", Route.allowedMethods)])
        case .databaseUnavailable(let seconds):
            Problem(status: .serviceUnavailable, detail: "the database is unavailable; retry later",
                    extraFields: [HTTPField("Retry-After", String(seconds))])
        case .streamsBusy(let limit, let seconds):
            Problem(status: .serviceUnavailable,
                    detail: "all \(limit) places for NDJSON streams are taken; retry later, or ask for JSON",
                    extraFields: [HTTPField("Retry-After", String(seconds))])
        case .unauthorized(let reason):
            Problem(status: .unauthorized, detail: reason + "; send it as `Authorization: Bearer TOKEN`",
                    extraFields: [HTTPField("WWW-Authenticate", #"Bearer realm="frames""#)])
        case .accessTokenRefused(let refusal):
            Problem(status: refusal.requiredScope == nil ? .unauthorized : .forbidden, detail: refusal.description,
                    extraFields: [HTTPField("WWW-Authenticate", refusal.challenge)])
        case .forbidden(let dataset):
            Problem(status: .forbidden, detail: "this API key does not cover the dataset '\(dataset)'", extraFields: [])
        case .rateLimited(let limit, let seconds):
            Problem(status: .tooManyRequests,
                    detail: "this API key is limited to \(PrometheusText.format(limit.rate))/s in bursts of up to "
                        + "\(limit.burst); retry in \(seconds) s",
                    extraFields: [HTTPField("Retry-After", String(seconds))])
        case .tokenInQuery(let parameter):
            Problem(status: .badRequest,
                    detail: "an API token must not be sent in the query string ('\(parameter)'): query strings end up "
                        + "in access logs; send it as `Authorization: Bearer TOKEN`, and revoke a token sent this way",
                    extraFields: [])
        case .internalError:
            Problem(status: .internalServerError, detail: "the server failed to process the request",
                    extraFields: [])
        }
    }

    private static func unknownParametersDetail(_ names: [String], _ allowed: [String]) -> String {
        let quoted = names.map { "'\($0)'" }.joined(separator: ", ")
        let noun = names.count == 1 ? "parameter" : "parameters"
        let known = allowed.isEmpty ? "this resource takes no parameters"
                                    : "known parameters: " + allowed.joined(separator: ", ")
        return "unknown \(noun) \(quoted); \(known)"
    }
}

extension Problem {
    public var jsonBody: [UInt8] {
        var out: [UInt8] = []
        JSONWriter.appendRaw(#"{"type":"#, to: &out)
        JSONWriter.appendString(type, to: &out)
        JSONWriter.appendRaw(#","title":"#, to: &out)
        JSONWriter.appendString(title, to: &out)
        JSONWriter.appendRaw(#","status":"#, to: &out)
        JSONWriter.appendNumber(status.code, to: &out)
        JSONWriter.appendRaw(#","detail":"#, to: &out)
        JSONWriter.appendString(detail, to: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }
}
