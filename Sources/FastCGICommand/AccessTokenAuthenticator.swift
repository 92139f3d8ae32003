import FramesCore
import ProcessSupport

/// Checks JWT access tokens from the identity provider (`FRAMES_OAUTH_*`): nothing here touches the
/// database, so a malformed or forged token costs at most one signature check. The verifier re-reads the
/// JWKS file on its own schedule; what goes wrong with the file is logged once per change, not per request.
final class AccessTokenAuthenticator {
    private let verifier: BearerTokenVerifier
    private let buckets: SharedKeyBuckets
    private let rateDefaults: RateLimit.Defaults
    private var reportedError: KeySetLoadError?
    private var reportedKeyIDs: [String]?

    init(verifier: BearerTokenVerifier, buckets: SharedKeyBuckets, rateDefaults: RateLimit.Defaults) {
        self.verifier = verifier
        self.buckets = buckets
        self.rateDefaults = rateDefaults
        reportKeySet()
    }

    /// What the token grants now, or the refusal as RFC 6750 says it.
    func authenticate(token: Substring) throws(RequestError) -> AccessGrant {
        defer { reportKeySet() }
        do throws(BearerTokenRefusal) {
            return try verifier.verify(String(token), at: Clock.unixSeconds)
        } catch {
            throw .accessTokenRefused(error)
        }
    }

    /// Takes one request from the subject's allowance, shared by the pool, at the service's default rate.
    func charge(_ grant: AccessGrant) throws(RequestError) {
        try buckets.admit(RateSubject(grant: grant), limit: RateLimit(rate: nil, burst: nil, defaults: rateDefaults))
    }

    private func reportKeySet() {
        if verifier.keySetError != reportedError {
            reportedError = verifier.keySetError
            if let error = reportedError {
                Log.error("cannot use the identity provider's key set; the keys read before stay in use",
                          ["error": .string(error.description)])
            }
        }
        let keyIDs = verifier.keySet.keyIDs
        guard keyIDs != reportedKeyIDs, reportedError == nil else { return }
        reportedKeyIDs = keyIDs
        Log.info("identity provider's keys read", ["kids": .string(keyIDs.joined(separator: " "))])
        for problem in verifier.keySet.ignored {
            Log.warning("identity provider's key left out", ["reason": .string(problem.description)])
        }
    }
}
