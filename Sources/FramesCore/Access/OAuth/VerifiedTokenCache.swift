/// The grants of recently verified tokens, keyed by the token's SHA-256, so that a client's every request
/// is not a signature check: an entry lasts until the token's own expiry. Only tokens that passed every
/// check get in, so junk cannot fill it; when full, expired entries go first, then (a flood of good
/// tokens) everything, which costs one signature check per token again and nothing worse.
public struct VerifiedTokenCache {
    public let capacity: Int
    private var entries: [[UInt8]: AccessGrant] = [:]

    public init(capacity: Int = 1024) {
        self.capacity = max(1, capacity)
    }

    public func lookup(digest: [UInt8], now: Double) -> AccessGrant? {
        guard let grant = entries[digest], now < grant.validUntil else { return nil }
        return grant
    }

    public mutating func store(_ grant: AccessGrant, digest: [UInt8], now: Double) {
        if entries[digest] == nil, entries.count >= capacity {
            entries = entries.filter { now < $0.value.validUntil }
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        }
        entries[digest] = grant
    }

    /// After the key set changed: a token of a removed key must be refused from then on.
    public mutating func removeAll() { entries.removeAll(keepingCapacity: true) }

    public var count: Int { entries.count }
}
