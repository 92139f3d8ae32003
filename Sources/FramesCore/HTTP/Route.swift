/// What a request asks for, with the parameters its path carries: resolved once, then handed to the
/// endpoint that answers it. `/metrics` is served by another process.
public enum Route: Sendable, Equatable {
    case root
    case health
    case ready
    case frames
    case colormaps
    case datasets
    case statistics
    /// `/colormaps/NAME.png`: a colour bar (legend) of one map; `custom` with `colors=`.
    case colorBar(name: String)
    /// `/datasets/NAME`: one dataset, now or as of `generation=G`.
    case dataset(name: String)
    /// `/datasets/NAME/generations`: its generations with provenance, newest first.
    case generations(name: String)
    /// `/datasets/NAME/changes?from=G1&to=G2`: the depths that differ between two generations.
    case changes(name: String)

    /// Every path the service resolves, as a pattern. The raw value is the `route` label of the
    /// metrics, which dashboards already use; `path` is the same pattern as OpenAPI writes it.
    public enum Template: String, Sendable, CaseIterable {
        case root = "/"
        case health = "/health"
        case ready = "/ready"
        case frames = "/frames"
        case colormaps = "/colormaps"
        case datasets = "/datasets"
        case statistics = "/statistics"
        case colorBar = "/colormaps/*.png"
        case dataset = "/datasets/*"
        case generations = "/datasets/*/generations"
        case changes = "/datasets/*/changes"

        /// Whether a request needs a key when `FRAMES_AUTH=required`: not for monitors' probes, nor for the
        /// index, which only names the service and its endpoints.
        public var needsKey: Bool { self != .root && self != .health && self != .ready }

        /// `/datasets/{name}` for `/datasets/*`.
        public var path: String { rawValue.split(separator: "*", omittingEmptySubsequences: false).joined(separator: "{name}") }
    }

    /// Every route is read-only.
    public static let readMethods = "GET, HEAD"
    /// The `Allow` header of a 405: reads, and the CORS preflight, which the handler answers itself.
    public static let allowedMethods = "GET, HEAD, OPTIONS"

    /// Resolves a request. `uri` may carry a query (`REQUEST_URI`), which is ignored.
    /// An unknown path is a 404 whatever the method; a known path with another method is a 405.
    /// Methods are case-sensitive (RFC 9110), so `get` is not `GET`.
    public init(method: String, uri: String) throws(RequestError) {
        let path = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        guard let route = Self.fixed(path) ?? Self.colorBar(path) ?? Self.datasetPath(path) else {
            throw .unknownPath(String(path))
        }
        guard method == "GET" || method == "HEAD" || method == "OPTIONS" else { throw .methodNotAllowed(method: method) }
        self = route
    }

    public var template: Template {
        switch self {
        case .root: .root
        case .health: .health
        case .ready: .ready
        case .frames: .frames
        case .colormaps: .colormaps
        case .datasets: .datasets
        case .statistics: .statistics
        case .colorBar: .colorBar
        case .dataset: .dataset
        case .generations: .generations
        case .changes: .changes
        }
    }

    /// The dataset the path names (`/datasets/NAME…`); nil for the other routes.
    public var datasetInPath: String? {
        switch self {
        case .dataset(let name), .generations(let name), .changes(let name): name
        default: nil
        }
    }

    private static func fixed(_ path: Substring) -> Route? {
        switch Template(rawValue: String(path)) {
        case .root?: .root
        case .health?: .health
        case .ready?: .ready
        case .frames?: .frames
        case .colormaps?: .colormaps
        case .datasets?: .datasets
        case .statistics?: .statistics
        default: nil
        }
    }

    /// `/datasets/NAME[/generations|/changes]`. Names are what `frames-ingest` makes of file names:
    /// letters, digits, `.`, `_`, `-`.
    private static func datasetPath(_ path: Substring) -> Route? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 3, parts.count <= 4, parts[0].isEmpty, parts[1] == "datasets", !parts[2].isEmpty,
              parts[2].utf8.allSatisfy({ $0.isDatasetNameCharacter }) else { return nil }
        let name = String(parts[2])
        switch parts.count == 4 ? parts[3] : nil {
        case nil: return .dataset(name: name)
        case "generations"?: return .generations(name: name)
        case "changes"?: return .changes(name: name)
        default: return nil
        }
    }

    /// `/colormaps/NAME.png`; whether NAME is a known map is the colour bar's own question (a 404 there).
    private static func colorBar(_ path: Substring) -> Route? {
        let prefix = "/colormaps/", suffix = ".png"
        guard path.hasPrefix(prefix), path.hasSuffix(suffix), path.count > prefix.count + suffix.count else { return nil }
        let name = path.dropFirst(prefix.count).dropLast(suffix.count)
        return name.contains("/") ? nil : .colorBar(name: String(name))
    }
}

private extension UInt8 {
    var isDatasetNameCharacter: Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(self) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(self)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self) || self == UInt8(ascii: ".")
            || self == UInt8(ascii: "_") || self == UInt8(ascii: "-")
    }
}
