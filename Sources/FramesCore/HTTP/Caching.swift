/// How shared caches (nginx's `fastcgi_cache`, a CDN) and browsers may keep an answer. This is the
/// one place that writes `ETag`, `Cache-Control` and `Vary`.
public enum Caching: Sendable, Equatable {
    /// A `/frames` representation: `tag` validates it, it is fresh for `maxAge` seconds, and when its
    /// format was chosen from `Accept` it varies with that header.
    case validated(EntityTag, maxAge: Int, variesWithAccept: Bool)
    /// A moment of the server (health, readiness, the dataset list, an error): never stored.
    case noStore

    public var fields: [HTTPField] {
        switch self {
        case .validated(let tag, let maxAge, let variesWithAccept):
            // Fresh for a bounded time: after a re-ingest a cache serves the old body for at most
            // max-age seconds, then revalidates with If-None-Match and gets the new generation.
            var fields = [HTTPField("ETag", tag.headerValue), HTTPField("Cache-Control", "public, max-age=\(maxAge)")]
            if variesWithAccept { fields.append(HTTPField("Vary", "Accept")) }
            return fields
        case .noStore:
            return [HTTPField("Cache-Control", "no-store")]
        }
    }
}
