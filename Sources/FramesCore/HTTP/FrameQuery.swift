/// A validated `/frames` request:
/// `depth_min`, `depth_max` (required), `limit`, `dataset`, `format`, `colormap`, `colors`, `vmin`, `vmax`,
/// and the display parameters `height`, `norm`, `window` (`display`, which also takes `vmin=pX`/`vmax=pY`).
/// Colormap names and color specs are carried raw: the colormap registry validates them.
public struct FrameQuery: RouteQuery, Equatable {
    public static let defaultLimit = 10_000
    public static let limitRange = 1...10_000
    public static let parameterNames = ["depth_min", "depth_max", "limit", "dataset", "format",
                                        "colormap", "colors", "vmin", "vmax", "generation"] + DisplayOptions.parameterNames

    public var range: DepthRange
    public var limit: Int
    public var dataset: String?
    public var format: FrameFormat
    /// Whether `format` came from the `Accept` header, so the response must say `Vary: Accept`.
    public var formatNegotiated: Bool
    public var colormap: String?
    public var colors: String?
    public var vmin: Double?
    public var vmax: Double?
    public var display: DisplayOptions
    /// `generation=G`: the dataset as of that generation; nil for the current one.
    public var generation: Int64?

    public init(parameters: [QueryParameter], accept: String?) throws(RequestError) {
        let values = try QueryValues.unique(parameters, allowed: Self.parameterNames)

        let lower = try Self.depth("depth_min", values)
        let upper = try Self.depth("depth_max", values)
        do {
            range = try DepthRange(lower: lower, upper: upper)
        } catch {
            // Each end was already checked alone, so only the order can be wrong here.
            throw .badParameter(name: "depth_min",
                                detail: "depth_min (\(lower)) must not exceed depth_max (\(upper))")
        }

        limit = try values["limit"].map { (text) throws(RequestError) in
            guard let limit = Int(text), Self.limitRange.contains(limit) else {
                throw .badParameter(name: "limit", detail: "limit must be an integer from \(Self.limitRange.lowerBound) "
                                    + "to \(Self.limitRange.upperBound), got '\(text)'")
            }
            return limit
        } ?? Self.defaultLimit

        dataset = try QueryValues.dataset(values)

        if let text = values["format"] {
            guard let format = FrameFormat(rawValue: text.lowercased()) else {
                let known = FrameFormat.allCases.map(\.rawValue).joined(separator: ", ")
                throw .badParameter(name: "format", detail: "format must be one of \(known), got '\(text)'")
            }
            self.format = format
            formatNegotiated = false
        } else {
            format = FrameFormat.negotiated(accept: accept)
            formatNegotiated = true
        }

        colormap = values["colormap"]
        colors = values["colors"]
        display = try DisplayOptions(values: values)
        generation = try values["generation"].map { (text) throws(RequestError) in try QueryValues.generation(text) }
        vmin = try DisplayOptions.numericText(values["vmin"]).map { (text) throws(RequestError) in
            try QueryValues.finiteNumber("vmin", text)
        }
        vmax = try DisplayOptions.numericText(values["vmax"]).map { (text) throws(RequestError) in
            try QueryValues.finiteNumber("vmax", text)
        }
        try ValueWindow.values.checkOrder(vmin: vmin, vmax: vmax)
    }

    /// Every parameter that changes the body, normalized: equal keys mean equal bodies for one
    /// dataset generation. The dataset is left out; the ETag takes the resolved dataset name.
    /// Free-form strings are length-prefixed so no choice of characters can make two keys collide.
    public var canonicalKey: String {
        func text(_ value: String?) -> String { value.map { "\($0.utf8.count):\($0)" } ?? "-" }
        func number(_ value: Double?) -> String { value.map { $0.description } ?? "-" }
        return "depth_min=\(range.lower)&depth_max=\(range.upper)&limit=\(limit)&format=\(format.rawValue)"
            + "&colormap=\(text(colormap))&colors=\(text(colors))&vmin=\(number(vmin))&vmax=\(number(vmax))"
            + "&" + display.canonicalKey + (generation.map { "&generation=\($0)" } ?? "")
    }

    // MARK: - Parsing helpers

    private static func depth(_ name: String, _ values: [String: String]) throws(RequestError) -> Double {
        guard let text = values[name] else { throw .badParameter(name: name, detail: "\(name) is required") }
        let value = try QueryValues.finiteNumber(name, text)
        guard value >= 0 else { throw .badParameter(name: name, detail: "\(name) must be >= 0, got '\(text)'") }
        return value
    }
}
