/// A parsed JSON document (RFC 8259), for the few documents the service reads: a token's header and
/// claims, and the identity provider's key set. Numbers are kept as Double, which holds every time a
/// token carries (Unix seconds) exactly.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public subscript(member: String) -> JSONValue? {
        if case .object(let members) = self { return members[member] }
        return nil
    }

    public var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    public var number: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    public var array: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    public var isObject: Bool {
        if case .object = self { return true }
        return false
    }
}
