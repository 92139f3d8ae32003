/// One key's allowance: a bucket that holds up to `burst` tokens, refills at `rate` tokens a second,
/// and gives one to each admitted request. Two plain numbers, so that the bucket can live in a file
/// that every worker of the pool maps and updates under a lock.
public struct TokenBucket: Equatable, Sendable {
    public var tokens: Double
    /// Monotonic seconds of the last update.
    public var updatedAt: Double

    public init(tokens: Double, updatedAt: Double) {
        self.tokens = tokens
        self.updatedAt = updatedAt
    }

    /// A key not seen before may send its whole burst at once.
    public static func full(_ limit: RateLimit, at now: Double) -> TokenBucket {
        TokenBucket(tokens: Double(limit.burst), updatedAt: now)
    }

    public enum Decision: Equatable, Sendable {
        case admitted
        /// Whole seconds until the next token, rounded up: `Retry-After`.
        case refused(retryAfterSeconds: Int)
    }

    /// Takes a token for a request at `now`. A refused request takes nothing, so a client that keeps
    /// retrying is not pushed further back.
    public mutating func take(_ limit: RateLimit, at now: Double) -> Decision {
        let elapsed = now - updatedAt
        // A clock behind the stored time means the table outlived a reboot: start the key afresh.
        tokens = elapsed < 0 ? Double(limit.burst) : min(Double(limit.burst), tokens + elapsed * limit.rate)
        updatedAt = now
        guard tokens < 1 else {
            tokens -= 1
            return .admitted
        }
        return .refused(retryAfterSeconds: max(1, Int(((1 - tokens) / limit.rate).rounded(.up))))
    }
}
