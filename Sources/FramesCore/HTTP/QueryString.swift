/// One `name=value` pair of a query string, percent-decoded.
public struct QueryParameter: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// Decodes a query string (`QUERY_STRING`, without the `?`) as HTML forms encode it:
/// pairs separated by `&`, `+` standing for a space, `%XX` for any byte.
/// Pairs come back in order with duplicates kept: what a repeated name means is the caller's call.
public enum QueryString {
    public static func decode(_ query: String) throws(RequestError) -> [QueryParameter] {
        var parameters: [QueryParameter] = []
        for pair in query.utf8.split(separator: UInt8(ascii: "&")) {
            // A name without `=` (`?flag`) is a parameter with an empty value, as browsers treat it.
            let equals = pair.firstIndex(of: UInt8(ascii: "=")) ?? pair.endIndex
            let valueStart = equals == pair.endIndex ? equals : pair.index(after: equals)
            let name = try decodeComponent(pair[..<equals], pair: pair)
            let value = try decodeComponent(pair[valueStart...], pair: pair)
            parameters.append(QueryParameter(name: name, value: value))
        }
        return parameters
    }

    private static func decodeComponent(_ encoded: Substring.UTF8View.SubSequence,
                                        pair: Substring.UTF8View.SubSequence) throws(RequestError) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(encoded.count)
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let byte = encoded[index]
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                let high = encoded.index(after: index)
                guard high < encoded.endIndex, encoded.index(after: high) < encoded.endIndex,
                      let h = encoded[high].hexDigitValue, let l = encoded[encoded.index(after: high)].hexDigitValue
                else {
                    throw .malformedQuery(detail: "invalid percent-encoding in '\(quoted(pair))'")
                }
                bytes.append(h << 4 | l)
                index = encoded.index(after: high)
            default:
                bytes.append(byte)
            }
            index = encoded.index(after: index)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .malformedQuery(detail: "'\(quoted(pair))' does not decode to UTF-8 text")
        }
        return text
    }

    /// The raw pair for an error message, cut short so a hostile query cannot bloat the response.
    private static func quoted(_ pair: Substring.UTF8View.SubSequence) -> String {
        let limit = 64
        let text = String(decoding: pair.prefix(limit), as: UTF8.self)
        return pair.count > limit ? text + "…" : text
    }
}
