/// The resources this service answers for. `/metrics` is served by another process.
public enum Route: String, Sendable, CaseIterable {
    case root = "/"
    case health = "/health"
    case ready = "/ready"
    case frames = "/frames"
    case colormaps = "/colormaps"
    case datasets = "/datasets"
    case statistics = "/statistics"
    /// `/colormaps/NAME.png`: a colour bar (legend) of one map; `custom` with `colors=`.
    case colorBar = "/colormaps/*.png"

    /// Every route is read-only; this is the `Allow` header of a 405.
    public static let allowedMethods = "GET, HEAD"

    /// Resolves a request. `uri` may carry a query (`REQUEST_URI`), which is ignored.
    /// An unknown path is a 404 whatever the method; a known path with another method is a 405.
    /// Methods are case-sensitive (RFC 9110), so `get` is not `GET`.
    public init(method: String, uri: String) throws(RequestError) {
        let path = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        guard let route = Route(rawValue: String(path)) ?? (Self.colorBarName(path: path) != nil ? .colorBar : nil)
        else { throw .unknownPath(String(path)) }
        guard method == "GET" || method == "HEAD" else { throw .methodNotAllowed(method: method) }
        self = route
    }

    /// The map's name in a colour bar's path, `/colormaps/NAME.png`; nil for any other path.
    public static func colorBarName(path: some StringProtocol) -> String? {
        let prefix = "/colormaps/", suffix = ".png"
        guard path.hasPrefix(prefix), path.hasSuffix(suffix), path.count > prefix.count + suffix.count else { return nil }
        let name = path.dropFirst(prefix.count).dropLast(suffix.count)
        return name.contains("/") ? nil : String(name)
    }
}
