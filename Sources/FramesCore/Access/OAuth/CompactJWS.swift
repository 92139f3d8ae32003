/// A JWT in the JWS compact serialization (RFC 7515 §7.1): three base64url parts joined by dots. Parsing
/// checks everything that costs no cryptography (length, encoding, header and claims as JSON) so that junk
/// is refused before any signature work.
public struct CompactJWS: Sendable {
    /// Real access tokens are 1-2 KB; nginx takes headers up to 8 KB by default anyway.
    public static let maximumLength = 8192

    public var header: JOSEHeader
    public var claims: JWTClaims
    /// The ASCII bytes the signature covers: the first two parts and the dot between them.
    public var signingInput: [UInt8]
    public var signature: [UInt8]

    /// Whether a bearer credential is a JWT rather than an API key: API keys (`frames_…`, base32 and `_`)
    /// never hold a dot, and a compact JWS always holds two.
    public static func looksLikeJWT(_ credential: some StringProtocol) -> Bool {
        credential.utf8.contains(UInt8(ascii: "."))
    }

    public init(parsing token: some StringProtocol) throws(BearerTokenRefusal) {
        let bytes = Array(token.utf8)
        guard bytes.count <= Self.maximumLength else { throw .tooLong(byteCount: bytes.count) }
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .malformed("it is not three parts separated by dots") }
        guard let headerBytes = Base64URL.decode(parts[0]), let claimBytes = Base64URL.decode(parts[1]),
              let signature = Base64URL.decode(parts[2])
        else { throw .malformed("a part is not base64url") }
        // The header first: an `alg: none` token, which has no signature, is refused for its algorithm.
        header = try JOSEHeader(json: try Self.json(headerBytes, refusing: "the header is not JSON"))
        claims = try JWTClaims(json: try Self.json(claimBytes, refusing: "the claims are not JSON"))
        guard !signature.isEmpty else { throw .malformed("it has no signature") }
        signingInput = Array(bytes[..<(parts[0].count + 1 + parts[1].count)])
        self.signature = signature
    }

    private static func json(_ bytes: [UInt8], refusing refusal: String) throws(BearerTokenRefusal) -> JSONValue {
        do {
            return try JSONParser.parse(bytes)
        } catch {
            throw .malformed(refusal)
        }
    }
}
