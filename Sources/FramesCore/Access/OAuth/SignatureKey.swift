/// A public key ready to check signatures, made from a `JSONWebKey` by the layer that links libcrypto
/// (`Signatures.PublicKey`); the core only asks it yes or no.
public protocol SignatureKey: AnyObject {
    /// Whether `signature` is a valid `algorithm` signature of `signingInput` (the JWS form of the
    /// signature: r||s for ES256). The caller has checked that the algorithm fits the key.
    func verifies(_ signature: [UInt8], of signingInput: [UInt8], with algorithm: JWSAlgorithm) -> Bool
}

/// Turns a key of the set into a `SignatureKey`; refuses keys the library will not take (an RSA modulus
/// that is too short, a point off the curve).
public typealias SignatureKeyMaker = (JSONWebKey) throws(JSONWebKeyError) -> any SignatureKey
