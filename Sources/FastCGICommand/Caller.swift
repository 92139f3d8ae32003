import FramesCore

/// Who a request was admitted as when `FRAMES_AUTH=required`: an API key, or an identity provider's
/// access token. Both limit the datasets the same way; they differ in how a refusal is said.
enum Caller {
    case key(KeyCredentials)
    case token(AccessGrant)

    /// nil: every dataset.
    var datasets: [String]? {
        switch self {
        case .key(let key): key.datasets
        case .token(let grant): grant.datasets
        }
    }

    func allows(dataset: String) -> Bool {
        switch self {
        case .key(let key): key.allows(dataset: dataset)
        case .token(let grant): grant.allows(dataset: dataset)
        }
    }

    /// Refuses `dataset` when the caller does not cover it: a key with a plain 403, a token with RFC 6750's
    /// `insufficient_scope` and the scope that would cover it.
    func authorize(dataset: String) throws(RequestError) {
        switch self {
        case .key(let key):
            if !key.allows(dataset: dataset) { throw .forbidden(dataset: dataset) }
        case .token(let grant):
            do throws(BearerTokenRefusal) {
                try grant.authorize(dataset: dataset)
            } catch {
                throw .accessTokenRefused(error)
            }
        }
    }

    /// What the request log names: the key, or the token's subject and issuer (never the token).
    var logFields: [String: LogValue] {
        switch self {
        case .key(let key): ["key": .string(key.name)]
        case .token(let grant): ["sub": .string(grant.subject), "iss": .string(grant.issuer)]
        }
    }

    /// How the 400 for an unnamed dataset calls the credential.
    var credentialName: String {
        switch self {
        case .key: "API key"
        case .token: "access token"
        }
    }
}
