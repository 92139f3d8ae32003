/// When a worker looks at the key set file again. Two paces: a routine check (a `stat`, and a read only
/// when the file changed) every `checkInterval` seconds, so a rotated key set is picked up within a
/// minute; and a forced re-read for a token whose `kid` is unknown (the provider may have just added a
/// key), at most once every `unknownKeyInterval` seconds, however many junk `kid`s arrive.
public struct KeySetReloadSchedule: Sendable, Equatable {
    public static let longestCheckInterval = 60.0
    public static let defaultUnknownKeyInterval = 10.0

    public let checkInterval: Double
    public let unknownKeyInterval: Double
    private var lastCheck: Double?
    private var lastUnknownKeyReload: Double?

    public init(checkInterval: Double = 15, unknownKeyInterval: Double = defaultUnknownKeyInterval) {
        self.checkInterval = min(max(0, checkInterval), Self.longestCheckInterval)
        self.unknownKeyInterval = max(0, unknownKeyInterval)
    }

    /// Whether the routine check is due at `now`; if so, it counts as done.
    public mutating func takeCheck(at now: Double) -> Bool {
        guard Self.due(since: lastCheck, interval: checkInterval, now: now) else { return false }
        lastCheck = now
        return true
    }

    /// Whether an unknown `kid` may cause a re-read at `now`; if so, it counts as done, and as a check.
    public mutating func takeUnknownKeyReload(at now: Double) -> Bool {
        guard Self.due(since: lastUnknownKeyReload, interval: unknownKeyInterval, now: now) else { return false }
        lastUnknownKeyReload = now
        lastCheck = now
        return true
    }

    /// A clock that went back (the wall clock set by hand) makes the next one due rather than stalling it.
    private static func due(since last: Double?, interval: Double, now: Double) -> Bool {
        guard let last else { return true }
        return now - last >= interval || now < last
    }
}
