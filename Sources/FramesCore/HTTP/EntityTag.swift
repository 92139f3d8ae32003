/// A strong entity tag for a `/frames` body.
///
/// A body is fully determined by the dataset, its generation (bumped by every ingest) and the
/// canonical query, so the tag is derived from those without rendering anything. The generation
/// is kept readable so a re-ingest always changes the tag; the rest is the first 64 bits of its SHA-256,
/// the same in every worker (Swift's `Hasher` is seeded per process, so it cannot be used).
public struct EntityTag: Sendable, Equatable {
    /// The tag without quotes, made only of characters RFC 9110 allows inside one.
    public let opaque: String

    public init(opaque: String) {
        self.opaque = opaque
    }

    public init(dataset: String, generation: Int64, canonicalQuery: String, hashes: some HashFunctions) {
        // Length prefixes keep ("ab", "c") and ("a", "bc") apart.
        let named = "\(dataset.utf8.count):\(dataset)\(canonicalQuery.utf8.count):\(canonicalQuery)"
        opaque = "g\(generation)-" + hashes.sha256(Array(named.utf8)).prefix(8).hexString
    }

    /// The `ETag` header value.
    public var headerValue: String { "\"\(opaque)\"" }

    /// Whether an `If-None-Match` header matches this tag, in which case the answer is 304.
    /// `If-None-Match` compares weakly (RFC 9110 §13.1.2), so `W/"x"` matches `"x"`; `*` matches
    /// any current representation. A malformed header matches nothing: the client gets a full body.
    public func matches(ifNoneMatch header: String) -> Bool {
        var rest = Substring(header)
        while true {
            rest = rest.drop { $0 == " " || $0 == "\t" || $0 == "," }
            if rest.isEmpty { return false }
            if rest.first == "*" { return true }
            if rest.hasPrefix("W/") { rest = rest.dropFirst(2) }
            // A tag may contain commas, so it is read up to its closing quote, not split on commas.
            guard rest.first == "\"" else { return false }
            rest = rest.dropFirst()
            guard let closing = rest.firstIndex(of: "\"") else { return false }
            if rest[..<closing] == opaque { return true }
            rest = rest[rest.index(after: closing)...]
        }
    }
}
