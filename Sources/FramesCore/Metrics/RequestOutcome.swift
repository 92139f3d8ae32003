/// What became of a request, for `frames_http_requests_total{outcome}`: answered by its endpoint
/// (whatever the status), or refused by access control before reaching it. A status class alone
/// cannot tell a 429 or a 401 from a mistyped parameter.
public enum RequestOutcome: String, CaseIterable, Sendable {
    case answered
    case unauthorized
    case forbidden
    case rateLimited = "rate_limited"
    /// An OAuth2 access token refused for a fault of its own (RFC 6750 `invalid_token`).
    case invalidToken = "invalid_token"
    /// A good access token without the scope the request needs (RFC 6750 `insufficient_scope`).
    case insufficientScope = "insufficient_scope"

    /// The refusals, in the order of their counter slots.
    public static let refusals: [RequestOutcome] = [.unauthorized, .forbidden, .rateLimited, .invalidToken, .insufficientScope]

    /// The outcome of a request that ended with `error` (nil: it succeeded).
    public init(_ error: RequestError?) {
        switch error {
        case .unauthorized?: self = .unauthorized
        case .forbidden?: self = .forbidden
        case .rateLimited?: self = .rateLimited
        case .accessTokenRefused(.insufficientScope)?: self = .insufficientScope
        case .accessTokenRefused?: self = .invalidToken
        default: self = .answered
        }
    }
}
