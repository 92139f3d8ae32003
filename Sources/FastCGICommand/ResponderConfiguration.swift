import FramesCore

/// What a worker runs with, resolved from its command line and environment (a systemd `EnvironmentFile=`).
struct ResponderConfiguration {
    var database: String
    var colormapDirectory: String?
    var metricsDirectory: String?
    var stateDirectory: String?
    /// How long clients and nginx's cache may reuse a response; also bounds how stale a response can
    /// be after a re-ingest.
    var cacheMaxAge: Int
    /// zlib level of PNG answers.
    var pngLevel: Int32
    /// Requests before a worker makes way for a fresh one (0: never).
    var maxRequests: Int
    /// Resident memory in MB past which a worker makes way for a fresh one (0: no limit).
    var maxResidentMB: Int
    /// Seconds one statement may run before PostgreSQL cancels it (0: no limit).
    var statementTimeout: Int
    /// Seconds one request may hold the worker before the watchdog cuts it short (0: no limit).
    var requestTimeout: Int
    /// Seconds an NDJSON stream may hold the worker before it is cut short (0: no limit).
    var streamTimeout: Int
    /// NDJSON streams the whole pool sends at once (0: no cap).
    var maxStreams: Int
    /// Whether requests (but /health and /ready) need an API key (`FRAMES_AUTH=required`).
    var authRequired: Bool
    /// Seconds a worker trusts a key it looked up: the bound on how long a revocation takes.
    var keyCacheSeconds: Int
    /// Whose JWT access tokens are taken beside API keys; nil: API keys only.
    var identityProvider: IdentityProvider?
    /// The rate limit of keys made without `--rate` or `--burst`, and of access tokens' subjects.
    var rateDefaults: RateLimit.Defaults
    /// Which other origins' pages may read the answers (`FRAMES_CORS_ORIGINS`).
    var crossOrigin: CrossOriginPolicy
}
