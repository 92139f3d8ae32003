/// What a signed token's claims must say to be accepted here (RFC 7519 §4.1, RFC 9068 §4): this issuer,
/// this audience among its `aud`, and a validity period around now, with `leeway` seconds for clocks that
/// disagree. An expiry is required: a token without one would be good forever.
public struct ClaimsPolicy: Sendable, Equatable {
    public static let maximumLeeway = 60.0

    public var issuer: String
    public var audience: String
    public var leeway: Double

    public init(issuer: String, audience: String, leeway: Double = maximumLeeway) {
        self.issuer = issuer
        self.audience = audience
        self.leeway = min(max(0, leeway), Self.maximumLeeway)
    }

    /// What the token grants at `now` (Unix seconds), or why it is refused.
    public func admit(_ claims: JWTClaims, at now: Double) throws(BearerTokenRefusal) -> AccessGrant {
        guard let expiresAt = claims.expiresAt else { throw .missingExpiry }
        guard now < expiresAt + leeway else { throw .expired }
        if let notBefore = claims.notBefore, now + leeway < notBefore { throw .notYetValid }
        if let issuedAt = claims.issuedAt, now + leeway < issuedAt { throw .issuedInTheFuture }
        guard claims.issuer == issuer else { throw .wrongIssuer }
        guard claims.audiences.contains(audience) else { throw .wrongAudience }
        guard let subject = claims.rateSubject else { throw .missingSubject }
        return AccessGrant(subject: subject, issuer: issuer, datasets: AccessGrant.datasets(fromScopes: claims.scopes),
                           validUntil: expiresAt + leeway)
    }
}
