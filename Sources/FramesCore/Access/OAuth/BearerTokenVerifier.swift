/// A worker's check of JWT access tokens, in the order of their cost: the cache of verified tokens
/// (one SHA-256), then parsing (no cryptography: junk stops here), then the key by `kid` and the fit of
/// `alg` to it, then the signature, then the claims. One worker serves one request at a time, so this
/// holds its state without locks and each worker has its own.
public final class BearerTokenVerifier {
    public let policy: ClaimsPolicy
    private var source: any KeySetSource
    private let makeKey: SignatureKeyMaker
    private let hashes: any HashFunctions
    private var schedule: KeySetReloadSchedule
    private var cache: VerifiedTokenCache
    public private(set) var keySet = JSONWebKeySet()
    /// Why the last read of the key set failed, until one succeeds; the keys from before stay in use.
    public private(set) var keySetError: KeySetLoadError?

    /// Reads the key set once at once; a failure there leaves no keys (and `keySetError` says why) until
    /// a later read succeeds.
    public init(policy: ClaimsPolicy, source: any KeySetSource, makeKey: @escaping SignatureKeyMaker,
                hashes: any HashFunctions, schedule: KeySetReloadSchedule = KeySetReloadSchedule(),
                cache: VerifiedTokenCache = VerifiedTokenCache(), now: Double) {
        self.policy = policy
        self.source = source
        self.makeKey = makeKey
        self.hashes = hashes
        self.schedule = schedule
        self.cache = cache
        _ = self.schedule.takeCheck(at: now)
        reloadKeySet(force: true)
    }

    /// What `token` grants at `now` (Unix seconds), or why it is refused.
    public func verify(_ token: String, at now: Double) throws(BearerTokenRefusal) -> AccessGrant {
        let bytes = Array(token.utf8)
        guard bytes.count <= CompactJWS.maximumLength else { throw .tooLong(byteCount: bytes.count) }
        if schedule.takeCheck(at: now) { reloadKeySet(force: false) }
        let digest = hashes.sha256(bytes)
        if let grant = cache.lookup(digest: digest, now: now) { return grant }
        let jws = try CompactJWS(parsing: token)
        let entry = try key(for: jws.header, at: now)
        guard entry.key.accepts(jws.header.algorithm) else { throw .algorithmDoesNotFitKey }
        guard entry.verifier.verifies(jws.signature, of: jws.signingInput, with: jws.header.algorithm) else { throw .badSignature }
        let grant = try policy.admit(jws.claims, at: now)
        cache.store(grant, digest: digest, now: now)
        return grant
    }

    private func key(for header: JOSEHeader, at now: Double) throws(BearerTokenRefusal) -> JSONWebKeySet.Entry {
        guard let keyID = header.keyID else { throw .unknownKey }
        if let entry = keySet[keyID] { return entry }
        guard schedule.takeUnknownKeyReload(at: now) else { throw .unknownKey }
        reloadKeySet(force: true)
        guard let entry = keySet[keyID] else { throw .unknownKey }
        return entry
    }

    private func reloadKeySet(force: Bool) {
        do throws(KeySetLoadError) {
            guard let bytes = try source.read(force: force) else { return }
            let loaded = try JSONWebKeySet(parsing: bytes, makeKey: makeKey)
            if loaded.keys != keySet.keys {
                // A token of a key that was removed (or replaced under its kid) must not live on in the cache.
                cache.removeAll()
            }
            keySet = loaded
            keySetError = nil
        } catch {
            keySetError = error
        }
    }
}
