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
    /// `/datasets/NAME`: one dataset, now or as of `generation=G`.
    case dataset = "/datasets/*"
    /// `/datasets/NAME/generations`: its generations with provenance, newest first.
    case generations = "/datasets/*/generations"
    /// `/datasets/NAME/changes?from=G1&to=G2`: the depths that differ between two generations.
    case changes = "/datasets/*/changes"

    /// Every route is read-only.
    public static let readMethods = "GET, HEAD"
    /// The `Allow` header of a 405: reads, and the CORS preflight, which the handler answers itself.
    public static let allowedMethods = "GET, HEAD, OPTIONS"

    /// Resolves a request. `uri` may carry a query (`REQUEST_URI`), which is ignored.
    /// An unknown path is a 404 whatever the method; a known path with another method is a 405.
    /// Methods are case-sensitive (RFC 9110), so `get` is not `GET`.
    public init(method: String, uri: String) throws(RequestError) {
        let path = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        guard let route = Route(rawValue: String(path)) ?? (Self.colorBarName(path: path) != nil ? .colorBar : nil)
            ?? Self.datasetPath(path)?.route
        else { throw .unknownPath(String(path)) }
        guard method == "GET" || method == "HEAD" || method == "OPTIONS" else { throw .methodNotAllowed(method: method) }
        self = route
    }

    /// The dataset named in `/datasets/NAME[/generations|/changes]`, and which of the three it is. Names
    /// are what `frames-ingest` makes of file names: letters, digits, `.`, `_`, `-`.
    public static func datasetPath(_ path: some StringProtocol) -> (name: String, route: Route)? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 3, parts.count <= 4, parts[0].isEmpty, parts[1] == "datasets", !parts[2].isEmpty,
              parts[2].utf8.allSatisfy({ $0.isDatasetNameCharacter }) else { return nil }
        switch parts.count == 4 ? parts[3] : nil {
        case nil: return (String(parts[2]), .dataset)
        case "generations"?: return (String(parts[2]), .generations)
        case "changes"?: return (String(parts[2]), .changes)
        default: return nil
        }
    }

    /// The map's name in a colour bar's path, `/colormaps/NAME.png`; nil for any other path.
    public static func colorBarName(path: some StringProtocol) -> String? {
        let prefix = "/colormaps/", suffix = ".png"
        guard path.hasPrefix(prefix), path.hasSuffix(suffix), path.count > prefix.count + suffix.count else { return nil }
        let name = path.dropFirst(prefix.count).dropLast(suffix.count)
        return name.contains("/") ? nil : String(name)
    }
}

private extension UInt8 {
    var isDatasetNameCharacter: Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(self) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(self)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self) || self == UInt8(ascii: ".")
            || self == UInt8(ascii: "_") || self == UInt8(ascii: "-")
    }
}
