import ArgumentParser
import CommandLineSupport
import FramesCore

/// Every setting of `frames-fcgi`, in the order `--help`, the man page and frames.env list them. Adding
/// a property here adds the option, its variable and their documentation; `FramesFCGI.settings` reads it.
struct FCGISettings: SettingTable {
    let database = Setting<String?>.database

    let colormapDirectory = Setting<String?>(
        flag: "colormap-dir", variable: "FRAMES_COLORMAP_DIR", valueName: "dir",
        summary: "Also serve the NAME.colors files of <dir>.", default: .none(), parser: .text,
        installed: "/etc/frames/colormaps",
        details: """
            Each NAME.colors file is a colormap: one stop per line (#RRGGBB, or POS:#RRGGBB with POS in 0..1), \
            `# ` comment lines. Add a file and `systemctl reload frames-fcgi` to serve it.
            """)

    let metricsDirectory = Setting<String?>.metricsDirectory(writing: "frames_pool.prom")

    let stateDirectory = Setting<String?>(
        flag: "state-dir", variable: "FRAMES_STATE_DIR", valueName: "dir",
        summary: "Where the workers add up their counters.", default: .none(), parser: .text,
        installed: "/run/frames/state",
        details: """
            Each worker's counter file, which the pool sums into its metrics, and the per-key rate limits' \
            shared table. /run/frames/state is created by the service (RuntimeDirectory=) and emptied when it stops.
            """)

    let cacheMaxAge = Setting<Int>(
        flag: "cache-max-age", variable: "FRAMES_CACHE_MAX_AGE", valueName: "seconds",
        summary: "How long clients and caches may reuse an answer.", default: .value(60),
        parser: .wholeNumber(of: "seconds"), installed: "60",
        details: """
            The answers' Cache-Control: max-age, in seconds; also how long nginx's optional cache keeps them.
            """)

    /// Read by the service unit (multiwatch -f), and here for the default of `maxStreams`.
    let poolSize = Setting<Int>(
        flag: nil, variable: "FRAMES_POOL_SIZE", valueName: "n",
        summary: "Number of frames-fcgi workers that frames-fcgi.service starts.", default: .value(0, shown: "none"),
        // Lenient as it always was: multiwatch, which reads it first, is the one to refuse a bad value.
        parser: SettingParser(expecting: "a whole number", orNil: { text in .some(Int(text) ?? 0) }),
        installed: "4",
        details: "Each worker serves one request at a time; about 2 per core is a start.")

    // Resized rows are noisy: level 0 (stored) costs almost no CPU for about 30% more bytes than level 1,
    // which costs some 50 times as much.
    let pngLevel = Setting<Int32>(
        flag: "png-level", variable: "FRAMES_PNG_LEVEL", valueName: "level",
        summary: "zlib level of PNG answers, 0-9.", default: .value(0), parser: .zlibLevel, installed: "0",
        details: """
            Image rows are noisy, so compression buys little: 0 (stored, the default) makes a whole 5,460-frame \
            log 825 kB in ~0.5 ms of CPU; 1 makes it 635 kB in ~24 ms. Raise it when clients sit behind slow \
            links and the pool has CPU to spare.
            """)

    let maxRequests = Setting<Int>(
        flag: "max-requests", variable: "FRAMES_MAX_REQUESTS", valueName: "n",
        summary: "Exit after about <n> requests (±10 %) so that multiwatch starts a fresh worker; 0 never.",
        default: .value(10_000), parser: .wholeNumber(), installed: "10000",
        details: """
            Each worker draws its own limit within 10 %, so they do not all go at once. No request fails for it: \
            the others serve while multiwatch starts the successor.
            """)

    let maxResidentMB = Setting<Int>(
        flag: "max-rss-mb", variable: "FRAMES_MAX_RSS_MB", valueName: "mb",
        summary: "Exit once resident memory passes <mb> megabytes, after the request in flight; 0 no limit.",
        default: .value(256), parser: .wholeNumber(), installed: "256",
        details: "No request fails for it: the others serve while multiwatch starts the successor.")

    let statementTimeout = Setting<Int>(
        flag: "statement-timeout", variable: "FRAMES_STATEMENT_TIMEOUT", valueName: "seconds",
        summary: "Seconds one database statement may run; then the answer is 503 with Retry-After; 0 no limit.",
        default: .value(5), parser: .wholeNumber(), installed: "5",
        details: "PostgreSQL's statement_timeout for the workers' connections.")

    let requestTimeout = Setting<Int>(
        flag: "request-timeout", variable: "FRAMES_REQUEST_TIMEOUT", valueName: "seconds",
        summary: """
            Seconds one request may hold the worker; then its statement is cancelled and the worker exits for a \
            fresh one; 0 no limit.
            """,
        default: .value(15), parser: .wholeNumber(), installed: "15",
        details: "The client gets a 503; a worker still stuck 5 seconds later ends at once.")

    let streamTimeout = Setting<Int>(
        flag: "stream-timeout", variable: "FRAMES_STREAM_TIMEOUT", valueName: "seconds",
        summary: """
            Seconds an NDJSON stream may hold the worker; past it the worker stops writing, the client gets a \
            stream without its end and the log says why; 0 no limit.
            """,
        default: .value(10), parser: .wholeNumber(), installed: "10",
        details: """
            NDJSON streams are not buffered by nginx, so a client that reads one slowly holds its worker. Keep it \
            below FRAMES_REQUEST_TIMEOUT.
            """)

    // Half the pool by default: slow stream readers can hold at most half the workers.
    let maxStreams = Setting<Int>(
        flag: "max-streams", variable: "FRAMES_MAX_STREAMS", valueName: "n",
        summary: """
            NDJSON streams the whole pool sends at once; one more is answered 503 with Retry-After, so slow \
            stream readers always leave workers for JSON and PNG; 0 no cap.
            """,
        default: .derived("half of $FRAMES_POOL_SIZE (at least 1), else no cap") { values throws(ValidationError) in
            let poolSize = try values.value(of: FCGISettings().poolSize)
            return poolSize > 0 ? max(1, poolSize / 2) : 0
        },
        parser: .wholeNumber(), installed: "2",
        details: """
            The workers count each other's streams in FRAMES_STATE_DIR; without it there is no cap. Keep it below \
            FRAMES_POOL_SIZE, so that JSON and PNG always find a worker.
            """)

    let authRequired = Setting<Bool>(
        flag: "auth", variable: "FRAMES_AUTH", valueName: "mode",
        summary: """
            `required`: every request but /health and /ready needs `Authorization: Bearer TOKEN`; `off`: no key \
            is asked for.
            """,
        default: .value(false, shown: "off"), parser: .choice(yes: "required", no: "off"), installed: "required",
        details: """
            Tokens come from `frames-admin keys create`; `off` serves anyone who reaches the site.
            """)

    let keyCacheSeconds = Setting<Int>(
        flag: "key-cache-seconds", variable: "FRAMES_KEY_CACHE_SECONDS", valueName: "seconds",
        summary: "How long a worker trusts a key it looked up; a revocation takes effect within this time.",
        default: .value(30), parser: .wholeNumber(), installed: "30",
        details: "A worker also remembers an id that has no key for this long.")

    let rateDefault = Setting<Double>(
        flag: "rate-default", variable: "FRAMES_RATE_DEFAULT", valueName: "r",
        summary: "Requests a second for keys made without --rate, counted over the whole pool; 0 no limit.",
        default: .value(10, shown: "10"), parser: .rate(expecting: "a number of requests a second (0: no limit)"),
        installed: "10",
        details: """
            The workers share one token bucket per key in FRAMES_STATE_DIR, so the limit is the pool's, not each \
            worker's; past it the answer is 429 with Retry-After.
            """)

    let burstDefault = Setting<Int?>(
        flag: "burst-default", variable: "FRAMES_BURST_DEFAULT", valueName: "b",
        summary: "Requests at once for keys made without --burst.",
        default: .none(meaning: "twice the key's rate, rounded up"),
        parser: .wholeNumber(from: 1, expecting: "a whole number from 1"), installed: "",
        details: "An empty value is the same as none.")

    let oauthIssuer = Setting<String?>(
        flag: "oauth-issuer", variable: "FRAMES_OAUTH_ISSUER", valueName: "url",
        summary: "The identity provider whose JWT access tokens are taken beside API keys, as their `iss` says it; empty: none.",
        default: .none(),
        parser: .optionalText(expecting: "an http:// or https:// URL, or nothing") { text in
            (text.hasPrefix("https://") || text.hasPrefix("http://")) && !text.contains(where: \.isWhitespace)
        },
        installed: "",
        details: """
            Exactly as the provider writes it in its tokens and its /.well-known/openid-configuration, e.g. \
            https://sso.example.org/realms/frames. Needs FRAMES_OAUTH_AUDIENCE and FRAMES_OAUTH_JWKS too.
            """)

    let oauthAudience = Setting<String?>(
        flag: "oauth-audience", variable: "FRAMES_OAUTH_AUDIENCE", valueName: "aud",
        summary: "A value that an access token's `aud` must hold for this service to take it.",
        default: .none(), parser: .nonEmptyText,
        installed: "",
        details: "The name the identity provider gives this service: a client id or an API's URI (api://frames).")

    let oauthKeySet = Setting<String?>(
        flag: "oauth-jwks", variable: "FRAMES_OAUTH_JWKS", valueName: "path",
        summary: "The identity provider's public keys (a JWKS file), which access tokens are checked against.",
        default: .none(),
        parser: .optionalText(expecting: "an absolute path, or nothing") { text in text.hasPrefix("/") },
        installed: "",
        details: """
            Written by a timer from the provider's jwks_uri and replaced atomically; each worker notices a new file \
            within 15 seconds, and re-reads it for a token whose kid it does not know, at most once every 10 seconds.
            """)

    let crossOrigin = Setting<CrossOriginPolicy>(
        flag: "cors-origins", variable: "FRAMES_CORS_ORIGINS", valueName: "origins",
        summary: """
            Origins whose pages may read the answers, separated by spaces or commas (https://app.example.org), or \
            `*` for any page; empty: none.
            """,
        default: .value(.nobody, shown: "empty"),
        parser: SettingParser(expecting: "origins (scheme://host[:port]) or `*`") { text throws(SettingRefusal) in
            do throws(CrossOriginSettingError) {
                return try CrossOriginPolicy(setting: text)
            } catch {
                throw SettingRefusal(reason: "\(error)")
            }
        },
        installed: "",
        details: """
            Each origin is scheme://host[:port] with no path: FRAMES_CORS_ORIGINS="https://app.example.org \
            https://lab.example.org". `*` lets any page read (public data; a key is still needed when \
            FRAMES_AUTH=required). Keep the `map $http_origin $frames_cors_origin` of the nginx site in step: \
            nginx's own 429 and 503 answers take the list from there.
            """)

    init() {}
}
