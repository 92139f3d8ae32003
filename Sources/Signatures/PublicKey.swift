import CCrypto
import FramesCore

/// A public key of the identity provider in libcrypto (OpenSSL 3), checking JWS signatures: RS256,
/// PS256, ES256 and Ed25519. Built from the JWK's numbers through EVP_PKEY_fromdata, then checked by
/// libcrypto itself (EVP_PKEY_public_check: a point on the curve, an odd modulus), so that a key set
/// with a forged or broken key refuses that key instead of verifying against it.
public final class PublicKey: SignatureKey {
    /// Shorter RSA moduli are within reach of a well-funded attacker (NIST SP 800-131A: 2048 at least).
    public static let minimumRSABits: Int32 = 2048

    /// An EVP_PKEY; libcrypto may use it from several threads at once for verification.
    private let key: OpaquePointer

    /// The `SignatureKeyMaker` the verifier takes.
    public static func make(_ jwk: JSONWebKey) throws(JSONWebKeyError) -> any SignatureKey {
        try PublicKey(jwk)
    }

    public init(_ jwk: JSONWebKey) throws(JSONWebKeyError) {
        let made: OpaquePointer?
        switch jwk.material {
        case .rsa(let modulus, let exponent):
            made = KeyParameters.rsa(modulus: modulus, exponent: exponent)
        case .ecP256(let x, let y):
            made = KeyParameters.ecP256(point: [0x04] + x + y)
        case .ed25519(let x):
            made = EVP_PKEY_new_raw_public_key_ex(nil, "ED25519", nil, x, x.count)
        }
        guard let made else {
            ERR_clear_error()
            throw JSONWebKeyError("\(jwk.keyID) is refused by libcrypto")
        }
        key = made
        if case .rsa = jwk.material, EVP_PKEY_get_bits(made) < Self.minimumRSABits {
            throw JSONWebKeyError("\(jwk.keyID) is an RSA key of \(EVP_PKEY_get_bits(made)) bits, under \(Self.minimumRSABits)")
        }
        guard Self.passesPublicCheck(made) else {
            ERR_clear_error()
            throw JSONWebKeyError("\(jwk.keyID) fails libcrypto's public key check")
        }
    }

    deinit { EVP_PKEY_free(key) }

    public func verifies(_ signature: [UInt8], of signingInput: [UInt8], with algorithm: JWSAlgorithm) -> Bool {
        let signature = algorithm == .es256 ? ECDSASignature.der(fromJOSE: signature) : signature
        guard let signature, let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        var keyContext: OpaquePointer?
        // EdDSA hashes inside the algorithm, so it takes no digest name.
        let digest: String? = algorithm == .edDSA ? nil : "SHA256"
        var ready = EVP_DigestVerifyInit_ex(context, &keyContext, digest, nil, nil, key, nil) == 1
        switch algorithm {
        case .rs256:
            ready = ready && EVP_PKEY_CTX_set_rsa_padding(keyContext, RSA_PKCS1_PADDING) == 1
        case .ps256:
            // RFC 7518 §3.5: MGF1 with the same hash, and a salt as long as the hash.
            ready = ready && EVP_PKEY_CTX_set_rsa_padding(keyContext, RSA_PKCS1_PSS_PADDING) == 1
                && EVP_PKEY_CTX_set_rsa_mgf1_md_name(keyContext, "SHA256", nil) == 1
                && EVP_PKEY_CTX_set_rsa_pss_saltlen(keyContext, 32) == 1
        case .es256, .edDSA:
            break
        }
        let valid = ready && EVP_DigestVerify(context, signature, signature.count, signingInput, signingInput.count) == 1
        // A refused signature leaves its reason on this thread's error queue, which nothing else reads.
        if !valid { ERR_clear_error() }
        return valid
    }

    private static func passesPublicCheck(_ key: OpaquePointer) -> Bool {
        guard let context = EVP_PKEY_CTX_new_from_pkey(nil, key, nil) else { return false }
        defer { EVP_PKEY_CTX_free(context) }
        return EVP_PKEY_public_check(context) == 1
    }
}
