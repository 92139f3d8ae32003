/// When a worker should write a key's last use: at most once a minute per key, since the column only
/// keeps the minute. Lives as long as the worker; keys only enter it once their secret has verified.
public struct KeyUseRecorder {
    private var lastWritten: [String: Double] = [:]

    public init() {}

    /// True, and remembered, when `keyID` was not written within the last 60 s of `now` (monotonic seconds).
    public mutating func shouldRecord(keyID: String, now: Double) -> Bool {
        if let last = lastWritten[keyID], now - last < 60 { return false }
        lastWritten[keyID] = now
        return true
    }
}
