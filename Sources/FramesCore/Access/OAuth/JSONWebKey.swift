/// One public key of the identity provider's key set (RFC 7517 §4), of the three types this service
/// verifies with. The numbers are kept as bytes: the signature layer turns them into libcrypto keys.
public struct JSONWebKey: Sendable, Equatable {
    public enum Material: Sendable, Equatable {
        /// `kty: RSA`: the modulus `n` and public exponent `e`, big-endian.
        case rsa(modulus: [UInt8], exponent: [UInt8])
        /// `kty: EC`, `crv: P-256`: the point's coordinates, 32 bytes each.
        case ecP256(x: [UInt8], y: [UInt8])
        /// `kty: OKP`, `crv: Ed25519`: the 32-byte public key.
        case ed25519(x: [UInt8])
    }

    public var keyID: String
    public var material: Material
    /// The JWK's own `alg`, when it pins one: then only that algorithm may use the key.
    public var algorithm: JWSAlgorithm?

    public init(keyID: String, material: Material, algorithm: JWSAlgorithm? = nil) {
        self.keyID = keyID
        self.material = material
        self.algorithm = algorithm
    }

    /// Reads one member of `keys`. A key this service cannot use (an encryption key, a symmetric key,
    /// another curve) throws with the reason, and the key set leaves it out.
    public init(json: JSONValue) throws(JSONWebKeyError) {
        guard json.isObject else { throw JSONWebKeyError("is not a JSON object") }
        guard let keyID = json["kid"]?.string else { throw JSONWebKeyError("has no kid") }
        self.keyID = keyID
        if let use = json["use"] {
            guard use.string == "sig" else { throw JSONWebKeyError("\(keyID) is not a signing key (use)") }
        }
        switch (json["kty"]?.string, json["crv"]?.string) {
        case ("RSA", _):
            material = .rsa(modulus: try Self.bytes(json, "n", keyID), exponent: try Self.bytes(json, "e", keyID))
        case ("EC", "P-256"):
            material = .ecP256(x: try Self.bytes(json, "x", keyID, count: 32), y: try Self.bytes(json, "y", keyID, count: 32))
        case ("OKP", "Ed25519"):
            material = .ed25519(x: try Self.bytes(json, "x", keyID, count: 32))
        default:
            throw JSONWebKeyError("\(keyID) is neither RSA, EC P-256 nor OKP Ed25519")
        }
        if let alg = json["alg"] {
            guard let name = alg.string, let pinned = JWSAlgorithm(rawValue: name), pinned.fits(material) else {
                throw JSONWebKeyError("\(keyID) is for an algorithm this service does not verify (alg)")
            }
            algorithm = pinned
        }
    }

    /// Whether a token signed with `algorithm` may be checked with this key at all.
    public func accepts(_ algorithm: JWSAlgorithm) -> Bool {
        algorithm.fits(material) && (self.algorithm.map { $0 == algorithm } ?? true)
    }

    private static func bytes(_ json: JSONValue, _ name: String, _ keyID: String, count: Int? = nil) throws(JSONWebKeyError) -> [UInt8] {
        guard let text = json[name]?.string, let bytes = Base64URL.decode(text), !bytes.isEmpty else {
            throw JSONWebKeyError("\(keyID) has no base64url \(name)")
        }
        if let count, bytes.count != count { throw JSONWebKeyError("\(keyID) has a \(name) of \(bytes.count) bytes, not \(count)") }
        return bytes
    }
}

/// Why a key of the set cannot be used; `reason` starts with the key's id when it has one.
public struct JSONWebKeyError: Error, Equatable, Sendable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) { self.reason = reason }

    public var description: String { "key \(reason)" }
}
