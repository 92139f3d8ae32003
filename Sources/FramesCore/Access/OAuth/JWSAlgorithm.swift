/// The signature algorithms this service verifies (RFC 7518 §3, RFC 8037 §3.1), and the key each needs.
/// There is deliberately no case for `none` or any HMAC: a token naming them cannot even be represented,
/// and the shared secret of an HMAC would have to be the public key, which anybody has.
public enum JWSAlgorithm: String, Sendable, CaseIterable {
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    case rs256 = "RS256"
    /// RSASSA-PSS with SHA-256, MGF1 with SHA-256, a 32-byte salt.
    case ps256 = "PS256"
    /// ECDSA on P-256 with SHA-256; the signature is r and s, 32 bytes each.
    case es256 = "ES256"
    /// Ed25519 (the only EdDSA curve accepted).
    case edDSA = "EdDSA"

    public init(header alg: String) throws(BearerTokenRefusal) {
        guard let algorithm = JWSAlgorithm(rawValue: alg) else { throw .unsupportedAlgorithm }
        self = algorithm
    }

    public func fits(_ material: JSONWebKey.Material) -> Bool {
        switch (self, material) {
        case (.rs256, .rsa), (.ps256, .rsa), (.es256, .ecP256), (.edDSA, .ed25519): true
        default: false
        }
    }
}
