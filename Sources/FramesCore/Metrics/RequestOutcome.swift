/// What became of a request, for `frames_http_requests_total{outcome}`: answered by its endpoint
/// (whatever the status), or refused by access control before reaching it. A status class alone
/// cannot tell a 429 or a 401 from a mistyped parameter.
public enum RequestOutcome: String, CaseIterable, Sendable {
    case answered
    case unauthorized
    case forbidden
    case rateLimited = "rate_limited"

    /// The refusals, in the order of their counter slots.
    public static let refusals: [RequestOutcome] = [.unauthorized, .forbidden, .rateLimited]

    /// The outcome of a request that ended with `error` (nil: it succeeded).
    public init(_ error: RequestError?) {
        switch error {
        case .unauthorized?: self = .unauthorized
        case .forbidden?: self = .forbidden
        case .rateLimited?: self = .rateLimited
        default: self = .answered
        }
    }
}
