import Digests
import FramesCore
import FrameStore
import PostgresClient
import ProcessSupport

/// Checks the `Authorization: Bearer` token of a request when `FRAMES_AUTH=required`. A token that does
/// not parse (missing, malformed, bad checksum) is refused before any database query; a well-formed one
/// is checked against the key looked up by its id, through the worker's KeyCache. Only then is the key's
/// rate limit charged, so that a forged token naming a real key id cannot use up that key's budget.
final class KeyAuthenticator {
    private let database: DatabaseSession
    private var cache: KeyCache
    private var uses = KeyUseRecorder()
    private let buckets: SharedKeyBuckets
    private let rateDefaults: RateLimit.Defaults

    init(database: DatabaseSession, cacheSeconds: Double, buckets: SharedKeyBuckets, rateDefaults: RateLimit.Defaults) {
        self.database = database
        cache = KeyCache(lifetime: cacheSeconds)
        self.buckets = buckets
        self.rateDefaults = rateDefaults
    }

    /// The key whose valid token `request` presents.
    func authenticate(_ request: IncomingRequest) throws(RequestError) -> KeyCredentials {
        let token: APIToken
        do throws(APITokenError) {
            token = try APIToken(parsing: Self.bearer(request.authorization) ?? "", hashes: SystemHashes())
        } catch {
            throw .unauthorized(reason: error.description)
        }
        let now = Clock.monotonicSeconds
        guard let credentials = try credentials(keyID: token.keyID, now: now) else {
            throw .unauthorized(reason: KeyRefusal.unknown.description)
        }
        do throws(KeyRefusal) {
            try credentials.admit(token, at: Clock.unixSeconds)
        } catch {
            throw .unauthorized(reason: error.description)
        }
        return credentials
    }

    /// Takes one request from `key`'s allowance, shared by the whole pool. A refusal sends no statement:
    /// the key's last use is written only for requests that go on.
    func charge(_ key: KeyCredentials) throws(RequestError) {
        let now = Clock.monotonicSeconds
        let limit = RateLimit(of: key, defaults: rateDefaults)
        if case .refused(let seconds) = buckets.charge(key, limit: limit), let limit {
            throw .rateLimited(limit: limit, retryAfterSeconds: seconds)
        }
        if uses.shouldRecord(keyID: key.keyID, now: now) { recordUse(key) }
    }

    private func credentials(keyID: String, now: Double) throws(RequestError) -> KeyCredentials? {
        if let remembered = cache.lookup(keyID: keyID, now: now) { return remembered }
        let found = try database.run { reader throws(PostgresError) in
            try Self.statement { () throws(KeyStore.Failure) in try reader.keys.credentials(keyID: keyID) }
        }
        cache.store(found, keyID: keyID, now: now)
        return found
    }

    /// Last use is bookkeeping: a failure to write it is logged, and the request goes on.
    private func recordUse(_ credentials: KeyCredentials) {
        do throws(RequestError) {
            try database.run { reader throws(PostgresError) in
                try Self.statement { () throws(KeyStore.Failure) in try reader.keys.recordUse(keyID: credentials.keyID) }
            }
        } catch {
            Log.warning("cannot record the key's last use", ["key": .string(credentials.name), "error": .string("\(error)")])
        }
    }

    /// A lookup's failure as the database error it wraps, so that DatabaseSession can reconnect and retry.
    private static func statement<T>(_ body: () throws(KeyStore.Failure) -> T) throws(PostgresError) -> T {
        do {
            return try body()
        } catch {
            guard case .database(let cause) = error else { throw .unexpectedResult(error.description) }
            throw cause
        }
    }

    /// The token of an `Authorization: Bearer TOKEN` header (the scheme is case-insensitive).
    static func bearer(_ header: String?) -> Substring? {
        guard let header else { return nil }
        let trimmed = header.drop { $0 == " " }
        guard trimmed.count > 7, trimmed.prefix(7).lowercased() == "bearer " else { return nil }
        return trimmed.dropFirst(7).drop { $0 == " " }
    }
}
