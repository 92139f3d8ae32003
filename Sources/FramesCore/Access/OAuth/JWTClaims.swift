/// The claims of an access token (RFC 7519 §4.1, RFC 9068 §2.2, RFC 8693 §4.2 for `scope`) that this
/// service reads. A claim of the wrong JSON type makes the whole token malformed rather than absent, so
/// that `"exp": "never"` cannot pass for a token without an expiry check.
public struct JWTClaims: Sendable, Equatable {
    public var issuer: String?
    /// `aud` as a string or an array of strings.
    public var audiences: [String]
    /// Unix seconds.
    public var expiresAt: Double?
    public var notBefore: Double?
    public var issuedAt: Double?
    public var subject: String?
    public var authorizedParty: String?
    public var clientID: String?
    /// `scope` split at spaces, and `scp`, either an array (Okta) or a space-separated string (Entra ID).
    public var scopes: [String]

    public init(issuer: String? = nil, audiences: [String] = [], expiresAt: Double? = nil, notBefore: Double? = nil,
                issuedAt: Double? = nil, subject: String? = nil, authorizedParty: String? = nil, clientID: String? = nil,
                scopes: [String] = []) {
        self.issuer = issuer
        self.audiences = audiences
        self.expiresAt = expiresAt
        self.notBefore = notBefore
        self.issuedAt = issuedAt
        self.subject = subject
        self.authorizedParty = authorizedParty
        self.clientID = clientID
        self.scopes = scopes
    }

    public init(json: JSONValue) throws(BearerTokenRefusal) {
        guard json.isObject else { throw .malformed("the claims are not a JSON object") }
        issuer = try Self.string(json, "iss")
        audiences = try Self.strings(json, "aud")
        expiresAt = try Self.seconds(json, "exp")
        notBefore = try Self.seconds(json, "nbf")
        issuedAt = try Self.seconds(json, "iat")
        subject = try Self.string(json, "sub")
        authorizedParty = try Self.string(json, "azp")
        clientID = try Self.string(json, "client_id")
        scopes = try Self.strings(json, "scope", splitting: true) + Self.strings(json, "scp", splitting: true)
    }

    /// Who the rate limits count: the user, or for a client-credentials token (which some providers give a
    /// `sub` and some do not) the client.
    public var rateSubject: String? { subject ?? authorizedParty ?? clientID }

    private static func string(_ json: JSONValue, _ name: String) throws(BearerTokenRefusal) -> String? {
        guard let value = json[name] else { return nil }
        guard let text = value.string else { throw .malformed("the claim \(name) is not a string") }
        return text
    }

    private static func seconds(_ json: JSONValue, _ name: String) throws(BearerTokenRefusal) -> Double? {
        guard let value = json[name] else { return nil }
        guard let seconds = value.number else { throw .malformed("the claim \(name) is not a number") }
        return seconds
    }

    /// A string (split at spaces when `splitting`, else taken whole) or an array of strings.
    private static func strings(_ json: JSONValue, _ name: String, splitting: Bool = false) throws(BearerTokenRefusal) -> [String] {
        switch json[name] {
        case nil:
            return []
        case .string(let text)?:
            return splitting ? text.split(separator: " ").map(String.init) : [text]
        case .array(let elements)?:
            var texts: [String] = []
            for element in elements {
                guard let text = element.string else { throw .malformed("the claim \(name) holds a value that is not a string") }
                texts.append(text)
            }
            return texts
        default:
            throw .malformed("the claim \(name) is neither a string nor an array of strings")
        }
    }
}
