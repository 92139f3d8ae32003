/// What a worker learns about one key from the database (`frames_key_lookup`): enough to check a
/// presented token and apply the key's scope and limits, and nothing about any other key.
public struct KeyCredentials: Sendable, Equatable {
    public var name: String
    public var keyID: String
    public var secretHash: [UInt8]
    /// The hash before the last rotation, accepted until `previousValidUntil` (Unix seconds).
    public var previousSecretHash: [UInt8]?
    public var previousValidUntil: Double?
    /// nil: every dataset.
    public var datasets: [String]?
    /// Requests per second and burst; nil: the service's default.
    public var rate: Double?
    public var burst: Int?
    public var expiresAt: Double?
    public var revokedAt: Double?

    public init(name: String, keyID: String, secretHash: [UInt8], previousSecretHash: [UInt8]? = nil,
                previousValidUntil: Double? = nil, datasets: [String]? = nil, rate: Double? = nil, burst: Int? = nil,
                expiresAt: Double? = nil, revokedAt: Double? = nil) {
        self.name = name
        self.keyID = keyID
        self.secretHash = secretHash
        self.previousSecretHash = previousSecretHash
        self.previousValidUntil = previousValidUntil
        self.datasets = datasets
        self.rate = rate
        self.burst = burst
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }

    /// Whether `token` may be used at `now` (Unix seconds). The secret is checked first, so that a
    /// forged token for a revoked or expired key gets the same answer as one for a key that never existed.
    public func admit(_ token: APIToken, at now: Double) throws(KeyRefusal) {
        guard token.keyID == keyID else { throw .unknown }
        let current = KeySecretHash.matches(token, stored: secretHash)
        // Both hashes are always compared, so the time taken does not say which one matched.
        let previous = previousSecretHash.map { KeySecretHash.matches(token, stored: $0) } ?? false
        let previousStillValid = previousValidUntil.map { now < $0 } ?? false
        guard current || (previous && previousStillValid) else { throw .unknown }
        if let revokedAt, revokedAt <= now { throw .revoked }
        if let expiresAt, expiresAt <= now { throw .expired }
    }

    public func allows(dataset: String) -> Bool {
        datasets.map { $0.contains(dataset) } ?? true
    }
}

/// Why a well-formed token was refused. `unknown` covers a wrong secret too: the answer must not confirm
/// that a guessed key id exists.
public enum KeyRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    case unknown
    case revoked
    case expired

    public var description: String {
        switch self {
        case .unknown: return "the API token is not valid"
        case .revoked: return "the API key was revoked"
        case .expired: return "the API key has expired"
        }
    }
}
