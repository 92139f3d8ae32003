/// The protected header of a JWS (RFC 7515 §4.1), as far as a resource server reads it.
public struct JOSEHeader: Sendable, Equatable {
    public var algorithm: JWSAlgorithm
    public var keyID: String?
    /// `JWT` or `at+jwt` from most providers; read but not required, as providers differ.
    public var type: String?

    public init(algorithm: JWSAlgorithm, keyID: String?, type: String?) {
        self.algorithm = algorithm
        self.keyID = keyID
        self.type = type
    }

    public init(json: JSONValue) throws(BearerTokenRefusal) {
        guard json.isObject else { throw .malformed("the header is not a JSON object") }
        guard let alg = json["alg"]?.string else { throw .malformed("the header has no algorithm (alg)") }
        algorithm = try JWSAlgorithm(header: alg)
        // RFC 7515 §4.1.11: a recipient must refuse a token whose critical extensions it does not implement.
        guard json["crit"] == nil else { throw .criticalExtension }
        keyID = try Self.optionalString(json["kid"], "kid")
        type = try Self.optionalString(json["typ"], "typ")
    }

    private static func optionalString(_ value: JSONValue?, _ name: String) throws(BearerTokenRefusal) -> String? {
        guard let value else { return nil }
        guard let text = value.string else { throw .malformed("the header's \(name) is not a string") }
        return text
    }
}
