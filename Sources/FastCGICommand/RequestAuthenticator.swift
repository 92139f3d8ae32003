import FramesCore

/// The `Authorization: Bearer` credential of a request when `FRAMES_AUTH=required`, sent where its form
/// says it belongs: a JWT (it has dots, which an API key never has) to the identity provider's keys when
/// `FRAMES_OAUTH_*` are set, anything else to the API keys, as without OAuth.
final class RequestAuthenticator {
    private let keys: KeyAuthenticator
    /// nil when no identity provider is configured.
    private let tokens: AccessTokenAuthenticator?

    init(keys: KeyAuthenticator, tokens: AccessTokenAuthenticator?) {
        self.keys = keys
        self.tokens = tokens
    }

    func authenticate(authorization: String?) throws(RequestError) -> Caller {
        if let tokens, let token = KeyAuthenticator.bearer(authorization), CompactJWS.looksLikeJWT(token) {
            return .token(try tokens.authenticate(token: token))
        }
        return .key(try keys.authenticate(authorization: authorization))
    }

    /// Takes one request from the caller's rate limit, shared by the pool.
    func charge(_ caller: Caller) throws(RequestError) {
        switch caller {
        case .key(let key): try keys.charge(key)
        case .token(let grant): try tokens?.charge(grant)
        }
    }
}
