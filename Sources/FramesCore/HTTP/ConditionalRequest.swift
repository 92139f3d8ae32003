/// A request's `If-None-Match` (RFC 9110 §13.1.2), answered in one place: every endpoint builds its
/// answer's caching first, and a client whose copy carries that caching's tag gets a 304 instead.
public struct ConditionalRequest: Sendable, Equatable {
    public var ifNoneMatch: String?

    public init(ifNoneMatch: String?) {
        self.ifNoneMatch = ifNoneMatch
    }

    public var isConditional: Bool { ifNoneMatch != nil }

    /// The 304 when the client's copy is current under `caching`; nil when the body must be sent.
    public func notModified(_ caching: Caching) -> Response? {
        guard let ifNoneMatch, let tag = caching.tag, tag.matches(ifNoneMatch: ifNoneMatch) else { return nil }
        return .notModified(caching)
    }
}
