/// How shared caches (nginx's `fastcgi_cache`, a CDN) and browsers may keep an answer. This is the
/// one place that writes `ETag`, `Cache-Control` and `Vary`.
public enum Caching: Sendable, Equatable {
    /// A `/frames` representation: `tag` validates it, it is fresh for `maxAge` seconds, and when its
    /// format was chosen from `Accept` it varies with that header.
    case validated(EntityTag, maxAge: Int, variesWithAccept: Bool)
    /// An answer about one fixed generation (`generation=G`): it can never change, so caches keep it a
    /// year and never revalidate.
    case immutable(EntityTag, variesWithAccept: Bool)
    /// The same, for the one client whose API key was checked: browsers may keep it, shared caches
    /// (nginx's `fastcgi_cache`, a CDN) must not, or they would hand it to requests without a key.
    case forOneClient(EntityTag, maxAge: Int, variesWithAccept: Bool)
    /// A moment of the server (health, readiness, the dataset list, an error): never stored.
    case noStore

    /// The validator, for answering If-None-Match; nil when there is none.
    public var tag: EntityTag? {
        switch self {
        case .validated(let tag, _, _), .immutable(let tag, _), .forOneClient(let tag, _, _): tag
        case .noStore: nil
        }
    }

    /// This caching for an answer to an authenticated request.
    public var keptPrivate: Caching {
        switch self {
        case .validated(let tag, let maxAge, let variesWithAccept):
            .forOneClient(tag, maxAge: maxAge, variesWithAccept: variesWithAccept)
        case .immutable(let tag, let variesWithAccept):
            .forOneClient(tag, maxAge: Self.immutableMaxAge, variesWithAccept: variesWithAccept)
        case .forOneClient, .noStore:
            self
        }
    }

    /// A year: what "never changes" means to caches.
    static let immutableMaxAge = 31_536_000

    public var fields: [HTTPField] {
        switch self {
        case .validated(let tag, let maxAge, let variesWithAccept):
            // Fresh for a bounded time: after a re-ingest a cache serves the old body for at most
            // max-age seconds, then revalidates with If-None-Match and gets the new generation.
            var fields = [HTTPField("ETag", tag.headerValue), HTTPField("Cache-Control", "public, max-age=\(maxAge)")]
            if variesWithAccept { fields.append(HTTPField("Vary", "Accept")) }
            return fields
        case .immutable(let tag, let variesWithAccept):
            var fields = [HTTPField("ETag", tag.headerValue),
                          HTTPField("Cache-Control", "public, max-age=\(Self.immutableMaxAge), immutable")]
            if variesWithAccept { fields.append(HTTPField("Vary", "Accept")) }
            return fields
        case .forOneClient(let tag, let maxAge, let variesWithAccept):
            // `private` alone keeps shared caches out; `Vary: Authorization` also keeps a browser from
            // answering one key's request with what it got for another.
            return [HTTPField("ETag", tag.headerValue), HTTPField("Cache-Control", "private, max-age=\(maxAge)"),
                    HTTPField("Vary", variesWithAccept ? "Accept, Authorization" : "Authorization")]
        case .noStore:
            return [HTTPField("Cache-Control", "no-store")]
        }
    }
}
