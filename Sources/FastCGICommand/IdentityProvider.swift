import ArgumentParser

/// The identity provider whose JWT access tokens are taken beside API keys (`FRAMES_OAUTH_*`).
struct IdentityProvider: Equatable {
    var issuer: String
    var audience: String
    /// The JWKS file a timer (or the admin) writes from the provider's jwks_uri.
    var keySetPath: String

    /// None when no setting is given. Some but not all of them, or any of them with `FRAMES_AUTH=off`, is
    /// refused: either would leave the admin believing tokens are checked when they are not.
    static func resolve(issuer: String?, audience: String?, keySetPath: String?,
                        authRequired: Bool) throws(ValidationError) -> IdentityProvider? {
        let given = [("FRAMES_OAUTH_ISSUER", issuer), ("FRAMES_OAUTH_AUDIENCE", audience), ("FRAMES_OAUTH_JWKS", keySetPath)]
        let missing = given.filter { $0.1 == nil }.map(\.0)
        if missing.count == given.count { return nil }
        guard let issuer, let audience, let keySetPath else {
            throw ValidationError("OAuth access tokens need FRAMES_OAUTH_ISSUER, FRAMES_OAUTH_AUDIENCE and FRAMES_OAUTH_JWKS "
                                  + "together; missing: " + missing.joined(separator: ", "))
        }
        guard authRequired else {
            throw ValidationError("FRAMES_OAUTH_* are set but FRAMES_AUTH is off, so no token would be asked for; "
                                  + "set FRAMES_AUTH=required, or remove the FRAMES_OAUTH_* settings")
        }
        return IdentityProvider(issuer: issuer, audience: audience, keySetPath: keySetPath)
    }
}
