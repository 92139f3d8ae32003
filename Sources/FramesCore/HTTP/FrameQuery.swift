/// A validated `/frames` request:
/// `depth_min`, `depth_max` (required), `limit`, `dataset`, `format`, `colormap`, `colors`, `vmin`, `vmax`,
/// and the display parameters `height`, `norm`, `window` (`display`, which also takes `vmin=pX`/`vmax=pY`).
/// Colormap names and color specs are carried raw: the colormap registry validates them.
public struct FrameQuery: Sendable, Equatable {
    public static let defaultLimit = 10_000
    public static let limitRange = 1...10_000
    /// The value window the server assumes for a missing `vmin` or `vmax`: the full byte range.
    public static let defaultValueWindow = (vmin: 0.0, vmax: 255.0)
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

    public init(range: DepthRange, limit: Int = defaultLimit, dataset: String? = nil, format: FrameFormat = .json,
                formatNegotiated: Bool = false, colormap: String? = nil, colors: String? = nil,
                vmin: Double? = nil, vmax: Double? = nil, display: DisplayOptions = DisplayOptions()) {
        self.range = range
        self.limit = limit
        self.dataset = dataset
        self.format = format
        self.formatNegotiated = formatNegotiated
        self.colormap = colormap
        self.colors = colors
        self.vmin = vmin
        self.vmax = vmax
        self.display = display
    }

    /// Parses `QUERY_STRING`; `accept` (the `Accept` header) picks the format when none is given.
    public init(queryString: String, accept: String?) throws(RequestError) {
        try self.init(parameters: QueryString.decode(queryString), accept: accept)
    }

    public init(parameters: [QueryParameter], accept: String?) throws(RequestError) {
        let values = try Self.uniqueKnownValues(parameters)

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

        if let name = values["dataset"], name.isEmpty {
            throw .badParameter(name: "dataset", detail: "dataset must not be empty")
        }
        dataset = values["dataset"]

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
        generation = try values["generation"].map { (text) throws(RequestError) in try Self.generation(text) }
        vmin = try DisplayOptions.numericText(values["vmin"]).map { (text) throws(RequestError) in
            try Self.finiteNumber("vmin", text)
        }
        vmax = try DisplayOptions.numericText(values["vmax"]).map { (text) throws(RequestError) in
            try Self.finiteNumber("vmax", text)
        }
        try checkValueWindow()
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

    /// A generation number as a client writes it: a positive whole number.
    public static func generation(_ text: String, parameter: String = "generation") throws(RequestError) -> Int64 {
        guard let value = Int64(text), value > 0 else {
            throw .badParameter(name: parameter, detail: "\(parameter) must be a positive whole number, got '\(text)'")
        }
        return value
    }

    // MARK: - Parsing helpers

    public static func uniqueKnownValues(_ parameters: [QueryParameter],
                                  allowed: [String] = parameterNames) throws(RequestError) -> [String: String] {
        var values: [String: String] = [:]
        var unknown: [String] = []
        var repeated: String?
        for parameter in parameters {
            guard allowed.contains(parameter.name) else {
                if !unknown.contains(parameter.name) { unknown.append(parameter.name) }
                continue
            }
            if values.updateValue(parameter.value, forKey: parameter.name) != nil, repeated == nil {
                repeated = parameter.name
            }
        }
        if !unknown.isEmpty { throw .unknownParameters(names: unknown, allowed: allowed) }
        if let repeated { throw .repeatedParameter(name: repeated) }
        return values
    }

    private static func depth(_ name: String, _ values: [String: String]) throws(RequestError) -> Double {
        guard let text = values[name] else { throw .badParameter(name: name, detail: "\(name) is required") }
        let value = try finiteNumber(name, text)
        guard value >= 0 else { throw .badParameter(name: name, detail: "\(name) must be >= 0, got '\(text)'") }
        return value
    }

    /// `+ 0` turns `-0` into `0`, so `-0` and `0` give the same canonical key and JSON.
    static func finiteNumber(_ name: String, _ text: String) throws(RequestError) -> Double {
        guard let value = Double(text), value.isFinite else {
            throw .badParameter(name: name, detail: "\(name) must be a finite number, got '\(text)'")
        }
        return value + 0
    }

    /// A missing end of the window is filled from the default, so `vmin=300` alone is as reversed a
    /// window as `vmin=300&vmax=255`. matplotlib's `Normalize` refuses vmin > vmax but takes
    /// vmin == vmax (everything gets the first color), and so does this.
    private func checkValueWindow() throws(RequestError) {
        let low = vmin ?? Self.defaultValueWindow.vmin
        let high = vmax ?? Self.defaultValueWindow.vmax
        if low <= high { return }
        let blamed = vmax != nil ? "vmax" : "vmin"
        throw .badParameter(name: blamed, detail: "vmin (\(low)\(vmin == nil ? ", the default" : "")) must not "
                            + "exceed vmax (\(high)\(vmax == nil ? ", the default" : ""))")
    }
}
