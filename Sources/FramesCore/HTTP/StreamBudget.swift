/// How long a streamed answer may hold its worker (`FRAMES_STREAM_TIMEOUT`). nginx does not buffer a
/// stream, so a client that reads slowly keeps the single-threaded worker writing; past the budget the
/// worker stops and the client gets a body without its end. Times are monotonic seconds.
public struct StreamBudget: Sendable, Equatable {
    /// 0: no bound (the request watchdog still applies).
    public let seconds: Double
    public let startedAt: Double

    public init(seconds: Double, startedAt: Double) {
        self.seconds = seconds
        self.startedAt = startedAt
    }

    /// How long the next write may wait for the client; nil when there is no bound. Never 0 for a
    /// budget not yet spent, since a zero send timeout means "wait forever" to the kernel.
    public func writeWait(at now: Double) -> Double? {
        guard seconds > 0 else { return nil }
        return max(0.001, startedAt + seconds - now)
    }

    public func isSpent(at now: Double) -> Bool {
        seconds > 0 && now - startedAt >= seconds
    }
}
