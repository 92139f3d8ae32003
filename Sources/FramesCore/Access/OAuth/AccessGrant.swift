/// What a verified access token allows: the datasets its scopes name, in the same form as an API key's
/// dataset scope (`KeyCredentials.datasets`), and who is asking, for the logs and the rate limits.
public struct AccessGrant: Sendable, Equatable {
    /// Reads every dataset.
    public static let readAllScope = "frames:read"
    /// Followed by a dataset's name, reads that dataset.
    public static let readOneScopePrefix = "frames:read:"

    /// `sub`, else `azp` or `client_id` (client credentials).
    public var subject: String
    public var issuer: String
    /// nil: every dataset; empty: none (a token without any `frames:read` scope).
    public var datasets: [String]?
    /// Unix seconds after which the token is refused: its `exp` plus the leeway.
    public var validUntil: Double

    public init(subject: String, issuer: String, datasets: [String]?, validUntil: Double) {
        self.subject = subject
        self.issuer = issuer
        self.datasets = datasets
        self.validUntil = validUntil
    }

    /// `frames:read` anywhere wins over any list of single datasets; other scopes (`openid`, another
    /// service's) are not this service's business and are ignored.
    public static func datasets(fromScopes scopes: [String]) -> [String]? {
        if scopes.contains(readAllScope) { return nil }
        var names: [String] = []
        for scope in scopes where scope.hasPrefix(readOneScopePrefix) {
            let name = String(scope.dropFirst(readOneScopePrefix.count))
            if !name.isEmpty, !names.contains(name) { names.append(name) }
        }
        return names
    }

    public func allows(dataset: String) -> Bool {
        datasets.map { $0.contains(dataset) } ?? true
    }

    /// Refuses with the scope that would have covered `dataset`: the one-dataset scope, the least a
    /// client should ask its provider for.
    public func authorize(dataset: String) throws(BearerTokenRefusal) {
        guard allows(dataset: dataset) else { throw .insufficientScope(scope: Self.readOneScopePrefix + dataset) }
    }
}
