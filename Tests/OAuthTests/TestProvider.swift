import Digests
import FramesCore

/// An identity provider's keys (made once per run: RSA key generation takes a while), its key set
/// document, and a verifier reading it, as a worker would hold one.
struct TestProvider {
    static let rsa = TestSigningKey(.rsa, keyID: "rsa-1")
    static let p256 = TestSigningKey(.p256, keyID: "ec-1")
    static let ed25519 = TestSigningKey(.ed25519, keyID: "ed-1")

    let document: KeySetDocument
    let counter = VerificationCounter()
    let verifier: BearerTokenVerifier

    init(keys: [String] = [rsa.jwk(), p256.jwk(), ed25519.jwk()], cacheCapacity: Int = 1024) {
        document = KeySetDocument(keys: keys)
        verifier = BearerTokenVerifier(
            policy: ClaimsPolicy(issuer: TokenFactory.issuer, audience: TokenFactory.audience),
            source: FakeKeySetSource(document: document), makeKey: counter.makeKey, hashes: SystemHashes(),
            cache: VerifiedTokenCache(capacity: cacheCapacity), now: TokenFactory.now)
    }
}
