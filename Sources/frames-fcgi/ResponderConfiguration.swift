/// Settings from the environment (a systemd `EnvironmentFile=`), overridable by flags.
struct ResponderConfiguration {
    var database = ""
    var colormapDirectory: String?
    var metricsDirectory: String?
    var stateDirectory: String?
    /// How long clients and nginx's cache may reuse a response; also bounds how stale a response can
    /// be after a re-ingest.
    var cacheMaxAge = 60

    static let usage = """
        usage: frames-fcgi [--database CONNINFO] [--colormap-dir DIR] [--metrics-dir DIR] [--state-dir DIR]
                           [--cache-max-age SECONDS]
        Serves FastCGI on the socket passed as fd 0 (spawn-fcgi). Environment: FRAMES_DATABASE_URL,
        FRAMES_COLORMAP_DIR, FRAMES_METRICS_DIR, FRAMES_STATE_DIR, FRAMES_CACHE_MAX_AGE.
        """

    enum Invalid: Error {
        case usage(String)
    }

    static func parse(_ arguments: [String], environment: [String: String]) throws(Invalid) -> ResponderConfiguration {
        var configuration = ResponderConfiguration()
        configuration.database = environment["FRAMES_DATABASE_URL"] ?? ""
        configuration.colormapDirectory = environment["FRAMES_COLORMAP_DIR"]
        configuration.metricsDirectory = environment["FRAMES_METRICS_DIR"]
        configuration.stateDirectory = environment["FRAMES_STATE_DIR"]
        if let age = environment["FRAMES_CACHE_MAX_AGE"] {
            guard let seconds = Int(age), seconds >= 0 else { throw .usage("FRAMES_CACHE_MAX_AGE must be a whole number of seconds") }
            configuration.cacheMaxAge = seconds
        }
        var remaining = arguments[...]
        while let flag = remaining.popFirst() {
            guard let value = remaining.popFirst() else { throw .usage("\(flag) needs a value") }
            switch flag {
            case "--database": configuration.database = value
            case "--colormap-dir": configuration.colormapDirectory = value
            case "--metrics-dir": configuration.metricsDirectory = value
            case "--state-dir": configuration.stateDirectory = value
            case "--cache-max-age":
                guard let seconds = Int(value), seconds >= 0 else { throw .usage("--cache-max-age takes seconds") }
                configuration.cacheMaxAge = seconds
            default: throw .usage("unknown option \(flag)")
            }
        }
        guard !configuration.database.isEmpty else { throw .usage("no database: set FRAMES_DATABASE_URL or pass --database") }
        return configuration
    }
}
