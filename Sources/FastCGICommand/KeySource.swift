import FramesCore

/// Where the authenticator finds API keys: PostgreSQL's key functions in production.
protocol KeySource: AnyObject {
    /// The key with this id, nil when there is none.
    func credentials(keyID: String) throws(RequestError) -> KeyCredentials?
    /// Marks the key used now (to the minute).
    func recordUse(keyID: String) throws(RequestError)
}
