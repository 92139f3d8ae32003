import Digests
import FramesCore
import ProcessSupport

/// Checks the `Authorization: Bearer` token of a request when `FRAMES_AUTH=required`. A token that does
/// not parse (missing, malformed, bad checksum) is refused before any database query; a well-formed one
/// is checked against the key looked up by its id, through the worker's KeyCache. Only then is the key's
/// rate limit charged, so that a forged token naming a real key id cannot use up that key's budget.
final class KeyAuthenticator {
    private let keys: KeySource
    private var cache: KeyCache
    private var uses = KeyUseRecorder()
    private let buckets: SharedKeyBuckets
    private let rateDefaults: RateLimit.Defaults

    init(keys: KeySource, cacheSeconds: Double, buckets: SharedKeyBuckets, rateDefaults: RateLimit.Defaults) {
        self.keys = keys
        cache = KeyCache(lifetime: cacheSeconds)
        self.buckets = buckets
        self.rateDefaults = rateDefaults
    }

    /// The key whose valid token the `Authorization` header presents.
    func authenticate(authorization: String?) throws(RequestError) -> KeyCredentials {
        let token: APIToken
        do throws(APITokenError) {
            token = try APIToken(parsing: Self.bearer(authorization) ?? "", hashes: SystemHashes())
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
        try buckets.admit(RateSubject(id: key.keyID, name: key.name), limit: limit)
        if uses.shouldRecord(keyID: key.keyID, now: now) { recordUse(key) }
    }

    private func credentials(keyID: String, now: Double) throws(RequestError) -> KeyCredentials? {
        if let remembered = cache.lookup(keyID: keyID, now: now) { return remembered }
        let found = try keys.credentials(keyID: keyID)
        cache.store(found, keyID: keyID, now: now)
        return found
    }

    /// Last use is bookkeeping: a failure to write it is logged, and the request goes on.
    private func recordUse(_ credentials: KeyCredentials) {
        do throws(RequestError) {
            try keys.recordUse(keyID: credentials.keyID)
        } catch {
            Log.warning("cannot record the key's last use", ["key": .string(credentials.name), "error": .string("\(error)")])
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
