import ArgumentParser
import CommandLineSupport
import FramesCore
import ProcessSupport

/// The command line of `frames-fcgi`, one worker of the pool that spawn-fcgi and multiwatch start. Each
/// option falls back to a `FRAMES_*` variable, which is how the service unit configures the workers.
public struct FramesFCGI: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "frames-fcgi",
        abstract: "Serve the image frame API over FastCGI on the socket passed as file descriptor 0.",
        discussion: """
            Started by spawn-fcgi (usually through multiwatch), which opens the socket; nginx forwards \
            requests to it. SIGTERM or SIGUSR1 lets the worker finish the request in flight, then exit.

            Exit status: 0 stopped, 64 usage, 70 no FastCGI socket on file descriptor 0, 71 accepting \
            connections failed.
            """,
        version: FramesVersion.string)

    @OptionGroup var database: DatabaseOption

    @Option(name: .customLong("colormap-dir"),
            help: ArgumentHelp("Also serve the NAME.colors files of <dir>. Default: $FRAMES_COLORMAP_DIR.", valueName: "dir"))
    var colormapDirectory: String?

    @Option(name: .customLong("metrics-dir"),
            help: ArgumentHelp("Write frames_pool.prom there. Default: $FRAMES_METRICS_DIR.", valueName: "dir"))
    var metricsDirectory: String?

    @Option(name: .customLong("state-dir"),
            help: ArgumentHelp("Where the workers add up their counters. Default: $FRAMES_STATE_DIR.", valueName: "dir"))
    var stateDirectory: String?

    @Option(help: ArgumentHelp("How long clients and caches may reuse an answer. Default: $FRAMES_CACHE_MAX_AGE, else 60.",
                               valueName: "seconds"))
    var cacheMaxAge: String?

    // Resized rows are noisy: level 0 (stored) costs almost no CPU for about 30% more bytes than level 1,
    // which costs some 50 times as much.
    @Option(help: ArgumentHelp("zlib level of PNG answers, 0-9. Default: $FRAMES_PNG_LEVEL, else 0.", valueName: "level"))
    var pngLevel: String?

    @Option(name: .customLong("max-requests"),
            help: ArgumentHelp("Exit after about <n> requests (±10 %) so that multiwatch starts a fresh worker; 0 never. "
                               + "Default: $FRAMES_MAX_REQUESTS, else 10000.", valueName: "n"))
    var maxRequests: String?

    @Option(name: .customLong("max-rss-mb"),
            help: ArgumentHelp("Exit once resident memory passes <mb> megabytes, after the request in flight; 0 no limit. "
                               + "Default: $FRAMES_MAX_RSS_MB, else 256.", valueName: "mb"))
    var maxResidentMB: String?

    @Option(name: .customLong("statement-timeout"),
            help: ArgumentHelp("Seconds one database statement may run; then the answer is 503 with Retry-After; 0 no limit. "
                               + "Default: $FRAMES_STATEMENT_TIMEOUT, else 5.", valueName: "seconds"))
    var statementTimeout: String?

    @Option(name: .customLong("request-timeout"),
            help: ArgumentHelp("Seconds one request may hold the worker; then its statement is cancelled and the worker "
                               + "exits for a fresh one; 0 no limit. Default: $FRAMES_REQUEST_TIMEOUT, else 15.",
                               valueName: "seconds"))
    var requestTimeout: String?

    @Option(name: .customLong("stream-timeout"),
            help: ArgumentHelp("Seconds an NDJSON stream may hold the worker; past it the worker stops writing, the client "
                               + "gets a stream without its end and the log says why; 0 no limit. "
                               + "Default: $FRAMES_STREAM_TIMEOUT, else 10.", valueName: "seconds"))
    var streamTimeout: String?

    @Option(name: .customLong("max-streams"),
            help: ArgumentHelp("NDJSON streams the whole pool sends at once; one more is answered 503 with Retry-After, "
                               + "so slow stream readers always leave workers for JSON and PNG; 0 no cap. "
                               + "Default: $FRAMES_MAX_STREAMS, else half of $FRAMES_POOL_SIZE (at least 1), "
                               + "else no cap.", valueName: "n"))
    var maxStreams: String?

    @Option(help: ArgumentHelp("`required`: every request but /health and /ready needs `Authorization: Bearer TOKEN`; "
                               + "`off`: no key is asked for. Default: $FRAMES_AUTH, else off.", valueName: "mode"))
    var auth: String?

    @Option(name: .customLong("key-cache-seconds"),
            help: ArgumentHelp("How long a worker trusts a key it looked up; a revocation takes effect within this time. "
                               + "Default: $FRAMES_KEY_CACHE_SECONDS, else 30.", valueName: "seconds"))
    var keyCacheSeconds: String?

    @Option(name: .customLong("rate-default"),
            help: ArgumentHelp("Requests a second for keys made without --rate, counted over the whole pool; 0 no limit. "
                               + "Default: $FRAMES_RATE_DEFAULT, else 10.", valueName: "r"))
    var rateDefault: String?

    @Option(name: .customLong("burst-default"),
            help: ArgumentHelp("Requests at once for keys made without --burst. "
                               + "Default: $FRAMES_BURST_DEFAULT, else twice the key's rate.", valueName: "b"))
    var burstDefault: String?
    @Option(name: .customLong("cors-origins"),
            help: ArgumentHelp("Origins whose pages may read the answers, separated by spaces or commas "
                               + "(https://app.example.org), or `*` for any page; empty: none. "
                               + "Default: $FRAMES_CORS_ORIGINS, else empty.", valueName: "origins"))
    var corsOrigins: String?

    public init() {}

    public func run() throws {
        try serve(try settings(environment: Environment.variables)).exitIfFailed()
    }

    /// Checked in `run()`, not `validate()`, for the reason `FramesIngest.options` gives.
    func settings(environment: [String: String]) throws(ValidationError) -> ResponderConfiguration {
        // A flag wins over its variable; a bad value is reported under the name the user gave it.
        func chosen(_ flag: String?, _ flagName: String, _ variable: String) -> (text: String, source: String)? {
            if let flag { return (flag, flagName) }
            return environment[variable].map { ($0, variable) }
        }
        var cacheMaxAge = 60
        if let (text, source) = chosen(self.cacheMaxAge, "--cache-max-age", "FRAMES_CACHE_MAX_AGE") {
            guard let seconds = Int(text), seconds >= 0 else { throw ValidationError("\(source) takes a whole number of seconds, not `\(text)`") }
            cacheMaxAge = seconds
        }
        var pngLevel: Int32 = 0
        if let (text, source) = chosen(self.pngLevel, "--png-level", "FRAMES_PNG_LEVEL") {
            guard let level = Int32(text), (0...9).contains(level) else { throw ValidationError("\(source) takes a zlib level 0–9, not `\(text)`") }
            pngLevel = level
        }
        func count(_ flag: String?, _ flagName: String, _ variable: String, default value: Int) throws(ValidationError) -> Int {
            guard let (text, source) = chosen(flag, flagName, variable) else { return value }
            guard let number = Int(text), number >= 0 else { throw ValidationError("\(source) takes a whole number, not `\(text)`") }
            return number
        }
        let maxRequests = try count(self.maxRequests, "--max-requests", "FRAMES_MAX_REQUESTS", default: 10_000)
        let maxResidentMB = try count(self.maxResidentMB, "--max-rss-mb", "FRAMES_MAX_RSS_MB", default: 256)
        let statementTimeout = try count(self.statementTimeout, "--statement-timeout", "FRAMES_STATEMENT_TIMEOUT", default: 5)
        let requestTimeout = try count(self.requestTimeout, "--request-timeout", "FRAMES_REQUEST_TIMEOUT", default: 15)
        let streamTimeout = try count(self.streamTimeout, "--stream-timeout", "FRAMES_STREAM_TIMEOUT", default: 10)
        // Half the pool by default: slow stream readers can hold at most half the workers.
        let poolSize = environment["FRAMES_POOL_SIZE"].flatMap { Int($0) } ?? 0
        let maxStreams = try count(self.maxStreams, "--max-streams", "FRAMES_MAX_STREAMS",
                                   default: poolSize > 0 ? max(1, poolSize / 2) : 0)
        var authRequired = false
        if let (text, source) = chosen(auth, "--auth", "FRAMES_AUTH") {
            guard text == "required" || text == "off" else { throw ValidationError("\(source) takes `required` or `off`, not `\(text)`") }
            authRequired = text == "required"
        }
        let keyCacheSeconds = try count(self.keyCacheSeconds, "--key-cache-seconds", "FRAMES_KEY_CACHE_SECONDS", default: 30)
        var rateDefaults = RateLimit.Defaults(rate: 10, burst: nil)
        if let (text, source) = chosen(rateDefault, "--rate-default", "FRAMES_RATE_DEFAULT") {
            guard let rate = Double(text), rate >= 0, rate.isFinite else {
                throw ValidationError("\(source) takes a number of requests a second (0: no limit), not `\(text)`")
            }
            rateDefaults.rate = rate
        }
        if let (text, source) = chosen(burstDefault, "--burst-default", "FRAMES_BURST_DEFAULT"), !text.isEmpty {
            guard let burst = Int(text), burst >= 1 else { throw ValidationError("\(source) takes a whole number from 1, not `\(text)`") }
            rateDefaults.burst = burst
        }
        var crossOrigin = CrossOriginPolicy.nobody
        if let (text, source) = chosen(corsOrigins, "--cors-origins", "FRAMES_CORS_ORIGINS") {
            do throws(CrossOriginSettingError) {
                crossOrigin = try CrossOriginPolicy(setting: text)
            } catch {
                throw ValidationError("\(source): \(error)")
            }
        }
        guard let database = database.conninfo(environment: environment) else {
            throw ValidationError("no database: set FRAMES_DATABASE_URL or pass --database")
        }
        return ResponderConfiguration(database: database, colormapDirectory: colormapDirectory ?? environment["FRAMES_COLORMAP_DIR"],
                                      metricsDirectory: metricsDirectory ?? environment["FRAMES_METRICS_DIR"],
                                      stateDirectory: stateDirectory ?? environment["FRAMES_STATE_DIR"],
                                      cacheMaxAge: cacheMaxAge, pngLevel: pngLevel, maxRequests: maxRequests,
                                      maxResidentMB: maxResidentMB, statementTimeout: statementTimeout,
                                      requestTimeout: requestTimeout, streamTimeout: streamTimeout,
                                      maxStreams: maxStreams, authRequired: authRequired,
                                      keyCacheSeconds: keyCacheSeconds, rateDefaults: rateDefaults,
                                      crossOrigin: crossOrigin)
    }
}
