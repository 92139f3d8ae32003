/// Which other sites' pages a browser lets read the answers (`FRAMES_CORS_ORIGINS`), and the CORS
/// headers that follow. Browsers do the enforcing; the service only says whom it trusts, on every
/// answer, errors included, so that a page it trusts can read a problem's detail.
public struct CrossOriginPolicy: Sendable, Equatable {
    public enum Allowed: Sendable, Equatable {
        /// No CORS header at all: only same-origin pages (and non-browser clients) use the API.
        case nobody
        /// `*`: public data, readable from any page. A token is still needed when auth is required.
        case everyone
        /// Origins as browsers write them: `https://host[:port]`, lower case, no default port.
        case listed(Set<String>)
    }

    public let allowed: Allowed

    public static let nobody = CrossOriginPolicy(allowed: .nobody)

    public init(allowed: Allowed) {
        self.allowed = allowed
    }

    /// Headers a page may read beyond the always-readable ones: the frame headers, the validator, and
    /// what tells a page when to come back (429, 503) or how to authenticate (401).
    public static let exposedHeaders = "ETag, X-Frame-Count, X-Depth-Min, X-Depth-Max, Retry-After, WWW-Authenticate"
    /// What a page may send: a key, and its cached copy's validator.
    public static let allowedRequestHeaders = "Authorization, If-None-Match"
    /// How long a browser may reuse a preflight. Neither the methods nor the headers ever change, and
    /// an origin taken off the list loses its answers at once anyway (they stop carrying
    /// `Access-Control-Allow-Origin`), so a day costs nothing; Chromium caps it at two hours.
    public static let preflightMaxAge = 86_400

    /// The headers of an answer to a request whose `Origin` header is `origin` (nil: none sent).
    public func apply(to head: inout ResponseHead, origin: String?) {
        switch allowed {
        case .nobody:
            return
        case .everyone:
            // The same for every request, so caches need no Vary.
            head.add("Access-Control-Allow-Origin", "*")
        case .listed(let origins):
            // The answer differs by Origin whether or not this one is listed: a cache must not hand the
            // copy made for one origin (or for none) to another.
            head.vary(on: "Origin")
            guard let origin, origins.contains(origin) else { return }
            head.add("Access-Control-Allow-Origin", origin)
        }
        head.add("Access-Control-Expose-Headers", Self.exposedHeaders)
    }

    /// Whether a page from `origin` may read the answers.
    public func allows(origin: String?) -> Bool {
        switch allowed {
        case .nobody: false
        case .everyone: origin != nil
        case .listed(let origins): origin.map(origins.contains) ?? false
        }
    }

    /// The answer to `OPTIONS`, a browser's preflight before it sends `Authorization`. It needs no key
    /// (browsers never send one with it). An origin not allowed gets the same 204 without the CORS
    /// headers, which is all a browser needs to refuse the real request.
    public func preflight(origin: String?) -> Response {
        var fields = [HTTPField("Allow", Route.allowedMethods)]
        if allows(origin: origin) {
            fields += [HTTPField("Access-Control-Allow-Methods", Route.readMethods),
                       HTTPField("Access-Control-Allow-Headers", Self.allowedRequestHeaders),
                       HTTPField("Access-Control-Max-Age", String(Self.preflightMaxAge))]
        }
        return .whole(Representation(status: .noContent, contentType: "text/plain", fields: fields, caching: .noStore),
                      body: [])
    }
}
