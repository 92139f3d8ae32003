/// How shared caches (nginx's `fastcgi_cache`, a CDN) and browsers may keep an answer. This is the
/// one place that writes `ETag`, `Cache-Control` and `Vary`.
public enum Caching: Sendable, Equatable {
    /// A `/frames` representation: `tag` validates it, it is fresh for `maxAge` seconds, and when its
    /// format was chosen from `Accept` it varies with that header.
    case validated(EntityTag, maxAge: Int, variesWithAccept: Bool)
    /// An answer about one fixed generation (`generation=G`): it can never change, so caches keep it a
    /// year and never revalidate.
    case immutable(EntityTag, variesWithAccept: Bool)
    /// A moment of the server (health, readiness, the dataset list, an error): never stored.
    case noStore

    /// The validator, for answering If-None-Match; nil when there is none.
    public var tag: EntityTag? {
        switch self {
        case .validated(let tag, _, _), .immutable(let tag, _): tag
        case .noStore: nil
        }
    }

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
                          HTTPField("Cache-Control", "public, max-age=31536000, immutable")]
            if variesWithAccept { fields.append(HTTPField("Vary", "Accept")) }
            return fields
        case .noStore:
            return [HTTPField("Cache-Control", "no-store")]
        }
    }
}
