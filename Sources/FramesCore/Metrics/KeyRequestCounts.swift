/// Requests per API key, for `frames_keys.prom`: labelled by the key's name, which the admin chose and
/// logs show, never by its token or id.
public struct KeyRequestCounts: Equatable, Sendable {
    /// Requests that presented the key's valid token and passed its rate limit (whatever the answer).
    public var admitted: UInt64 = 0
    /// Requests with the key's valid token refused for its rate limit.
    public var rateLimited: UInt64 = 0

    public init(admitted: UInt64 = 0, rateLimited: UInt64 = 0) {
        self.admitted = admitted
        self.rateLimited = rateLimited
    }

    public static func prometheusText(_ counts: [String: KeyRequestCounts]) -> String {
        var text = PrometheusText()
        text.family("frames_key_requests_total", .counter,
                    help: "Requests made with each API key's valid token, by key name and outcome (admitted or rate_limited).")
        for (name, count) in counts.sorted(by: { $0.key < $1.key }) {
            text.sample("frames_key_requests_total", [("key", name), ("outcome", "admitted")], Double(count.admitted))
            text.sample("frames_key_requests_total", [("key", name), ("outcome", RequestOutcome.rateLimited.rawValue)],
                        Double(count.rateLimited))
        }
        return text.text
    }
}
