/// A worker's memory of recent key lookups, so that most requests cost no database round trip. An
/// entry is trusted for `lifetime` seconds only, which bounds how long a revocation takes to reach every
/// worker. Ids with no key are remembered too (a forged id costs one lookup per lifetime), but they go
/// first when the cache is full, so that a flood of forged ids cannot push real keys out.
public struct KeyCache {
    public let lifetime: Double
    public let capacity: Int
    private var entries: [String: (credentials: KeyCredentials?, fetchedAt: Double)] = [:]

    public init(lifetime: Double, capacity: Int = 1024) {
        self.lifetime = lifetime
        self.capacity = max(1, capacity)
    }

    /// The remembered lookup for `keyID` while still fresh at `now` (monotonic seconds): `.some(nil)`
    /// means "no such key"; nil means "ask the database".
    public func lookup(keyID: String, now: Double) -> KeyCredentials?? {
        guard let entry = entries[keyID], now - entry.fetchedAt < lifetime else { return nil }
        return .some(entry.credentials)
    }

    public mutating func store(_ credentials: KeyCredentials?, keyID: String, now: Double) {
        if entries[keyID] == nil, entries.count >= capacity { makeRoom(now: now) }
        entries[keyID] = (credentials, now)
    }

    public var count: Int { entries.count }

    /// Stale entries go, then unknown ids, then (a cache full of live keys) everything.
    private mutating func makeRoom(now: Double) {
        entries = entries.filter { now - $0.value.fetchedAt < lifetime }
        if entries.count >= capacity { entries = entries.filter { $0.value.credentials != nil } }
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
    }
}
