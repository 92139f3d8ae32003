/// Why a JWT access token was refused, as RFC 6750 §3.1 sorts it: every fault of the token itself is
/// `invalid_token` (401); a good token that lacks the scope a request needs is `insufficient_scope` (403).
/// The descriptions are fixed texts, never the token's own values: they go into a quoted header
/// parameter, where RFC 6750 allows no `"` or `\`, and a client must not be able to write into it.
public enum BearerTokenRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    case tooLong(byteCount: Int)
    /// Not three base64url parts, or a header or claims that are not a JSON object of the right types.
    case malformed(String)
    /// `none`, an HMAC algorithm, or one this service does not verify.
    case unsupportedAlgorithm
    /// The header names a critical extension (`crit`), which this service does not implement.
    case criticalExtension
    case unknownKey
    /// The header's `alg` does not fit the key its `kid` names (an HS256 token "signed" with an RSA
    /// public key ends here or at `unsupportedAlgorithm`).
    case algorithmDoesNotFitKey
    case badSignature
    case missingExpiry
    case expired
    case notYetValid
    case issuedInTheFuture
    case wrongIssuer
    case wrongAudience
    /// None of `sub`, `azp`, `client_id`: nobody to count the request against.
    case missingSubject
    /// The token is good but does not cover the request; `scope` is the narrowest scope that would.
    case insufficientScope(scope: String)

    /// RFC 6750's `error` code.
    public var errorCode: String {
        if case .insufficientScope = self { return "insufficient_scope" }
        return "invalid_token"
    }

    /// RFC 6750's `error_description`.
    public var description: String {
        switch self {
        case .tooLong(let count): "the access token is \(count) bytes long; at most \(CompactJWS.maximumLength) are accepted"
        case .malformed(let what): "the access token is malformed: \(what)"
        case .unsupportedAlgorithm: "the access token's algorithm is not accepted (RS256, PS256, ES256 or EdDSA)"
        case .criticalExtension: "the access token names a critical header extension that is not supported"
        case .unknownKey: "the access token's key (kid) is not one of the identity provider's keys"
        case .algorithmDoesNotFitKey: "the access token's algorithm does not fit its key"
        case .badSignature: "the access token's signature is not valid"
        case .missingExpiry: "the access token has no expiry (exp)"
        case .expired: "the access token has expired"
        case .notYetValid: "the access token is not valid yet (nbf)"
        case .issuedInTheFuture: "the access token was issued in the future (iat)"
        case .wrongIssuer: "the access token is from another issuer"
        case .wrongAudience: "the access token is not meant for this service (aud)"
        case .missingSubject: "the access token names no subject (sub, azp or client_id)"
        case .insufficientScope(let scope): "the access token lacks the scope \(scope)"
        }
    }

    /// RFC 6750's `scope`, for `insufficient_scope` only.
    public var requiredScope: String? {
        if case .insufficientScope(let scope) = self { return scope }
        return nil
    }

    /// The `WWW-Authenticate` value of the answer.
    public var challenge: String {
        var value = #"Bearer realm="frames", error="\#(errorCode)", error_description="\#(description)""#
        if let requiredScope { value += #", scope="\#(requiredScope)""# }
        return value
    }
}
