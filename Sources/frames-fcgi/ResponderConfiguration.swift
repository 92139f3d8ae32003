/// Settings from the environment (a systemd `EnvironmentFile=`), overridable by flags.
struct ResponderConfiguration {
    var database = ""
    var colormapDirectory: String?
    var metricsDirectory: String?
    var stateDirectory: String?
    /// How long clients and nginx's cache may reuse a response; also bounds how stale a response can
    /// be after a re-ingest.
    var cacheMaxAge = 60
    /// zlib level of PNG answers. Resized rows are noisy: level 0 (stored) costs almost no CPU for
    /// about 30% more bytes than level 1, which costs some 50 times as much.
    var pngLevel: Int32 = 0

    static let usage = """
        usage: frames-fcgi [--database CONNINFO] [--colormap-dir DIR] [--metrics-dir DIR] [--state-dir DIR]
                           [--cache-max-age SECONDS] [--png-level 0-9]
        Serves FastCGI on the socket passed as fd 0 (spawn-fcgi). Environment: FRAMES_DATABASE_URL,
        FRAMES_COLORMAP_DIR, FRAMES_METRICS_DIR, FRAMES_STATE_DIR, FRAMES_CACHE_MAX_AGE, FRAMES_PNG_LEVEL.
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
            configuration.cacheMaxAge = try seconds(age, "FRAMES_CACHE_MAX_AGE")
        }
        if let level = environment["FRAMES_PNG_LEVEL"] {
            configuration.pngLevel = try pngLevel(level, "FRAMES_PNG_LEVEL")
        }
        var remaining = arguments[...]
        while let flag = remaining.popFirst() {
            guard let value = remaining.popFirst() else { throw .usage("\(flag) needs a value") }
            switch flag {
            case "--database": configuration.database = value
            case "--colormap-dir": configuration.colormapDirectory = value
            case "--metrics-dir": configuration.metricsDirectory = value
            case "--state-dir": configuration.stateDirectory = value
            case "--cache-max-age": configuration.cacheMaxAge = try seconds(value, flag)
            case "--png-level": configuration.pngLevel = try pngLevel(value, flag)
            default: throw .usage("unknown option \(flag)")
            }
        }
        guard !configuration.database.isEmpty else { throw .usage("no database: set FRAMES_DATABASE_URL or pass --database") }
        return configuration
    }

    private static func seconds(_ text: String, _ source: String) throws(Invalid) -> Int {
        guard let seconds = Int(text), seconds >= 0 else { throw .usage("\(source) takes a whole number of seconds") }
        return seconds
    }

    private static func pngLevel(_ text: String, _ source: String) throws(Invalid) -> Int32 {
        guard let level = Int32(text), (0...9).contains(level) else { throw .usage("\(source) takes a zlib level 0–9") }
        return level
    }
}
