/// The `/frames` parameters that change how rows are shown rather than which rows:
/// `height` (fit the range into at most that many rows by depth binning), `norm` and `window`
/// (histogram equalization), and `vmin=pX` / `vmax=pY` (a percentile stretch).
///
/// Parsed from the same decoded, de-duplicated values as the rest of `FrameQuery`, which holds the
/// result as one property. Rules (each violation is a 400 naming the parameter):
/// - `height`: an integer from 1 to 10000.
/// - `norm`: `static`, `dynamic` or `none` (the same as leaving it out).
/// - `window`: a finite depth > 0, required with `norm=dynamic` and refused otherwise.
/// - `vmin=pX`, `vmax=pY`: 0 <= X <= Y <= 100. A percentile end and a numeric end are not mixed
///   (the order of a number and a percentile would only be known once the data is read).
/// - `norm` with `vmin` or `vmax` in any form: equalized values fill 0...255 by construction.
public struct DisplayOptions: Sendable, Equatable {
    public enum Normalization: Sendable, Equatable {
        case `static`
        /// `window` in depth units, > 0.
        case dynamic(window: Double)
    }

    public static let parameterNames = ["height", "norm", "window"]
    public static let heightRange = 1...10_000

    /// nil: every frame of the range, one row each.
    public var height: Int?
    public var normalization: Normalization?
    public var stretch: PercentileStretch

    public init(height: Int? = nil, normalization: Normalization? = nil,
                stretch: PercentileStretch = PercentileStretch()) {
        self.height = height
        self.normalization = normalization
        self.stretch = stretch
    }

    /// `vmin`/`vmax` text that is a percentile (`p` then a number) belongs to the stretch.
    static func isPercentile(_ text: String) -> Bool {
        text.hasPrefix("p")
    }

    /// The text of a `vmin`/`vmax` value unless it is a percentile: what `FrameQuery` parses as a number.
    static func numericText(_ text: String?) -> String? {
        text.flatMap { isPercentile($0) ? nil : $0 }
    }

    init(values: [String: String]) throws(RequestError) {
        height = try values["height"].map { (text) throws(RequestError) in
            guard let height = Int(text), Self.heightRange.contains(height) else {
                throw .badParameter(name: "height", detail: "height must be an integer from "
                                    + "\(Self.heightRange.lowerBound) to \(Self.heightRange.upperBound), got '\(text)'")
            }
            return height
        }
        normalization = try Self.normalization(values)
        stretch = try Self.stretch(values)
        if normalization != nil, let bound = ["vmin", "vmax"].first(where: { values[$0] != nil }) {
            throw .badParameter(name: "norm", detail: "norm cannot be combined with \(bound): "
                                + "equalized values always fill 0 to 255")
        }
    }

    private static func normalization(_ values: [String: String]) throws(RequestError) -> Normalization? {
        let window = try values["window"].map { (text) throws(RequestError) in
            let window = try QueryValues.finiteNumber("window", text)
            guard window > 0 else {
                throw .badParameter(name: "window", detail: "window must be a depth > 0, got '\(text)'")
            }
            return window
        }
        switch values["norm"] {
        case nil, "none":
            if window != nil {
                throw .badParameter(name: "window", detail: "window applies only to norm=dynamic")
            }
            return nil
        case "static":
            if window != nil {
                throw .badParameter(name: "window", detail: "window applies only to norm=dynamic, not norm=static")
            }
            return .static
        case "dynamic":
            guard let window else {
                throw .badParameter(name: "window", detail: "window (a depth > 0) is required with norm=dynamic")
            }
            return .dynamic(window: window)
        case let text?:
            throw .badParameter(name: "norm", detail: "norm must be one of static, dynamic, none, got '\(text)'")
        }
    }

    private static func stretch(_ values: [String: String]) throws(RequestError) -> PercentileStretch {
        let low = try values["vmin"].flatMap { (text) throws(RequestError) in try percent("vmin", text) }
        let high = try values["vmax"].flatMap { (text) throws(RequestError) in try percent("vmax", text) }
        if low != nil || high != nil, let numeric = ["vmin", "vmax"].first(where: { numericText(values[$0]) != nil }) {
            throw .badParameter(name: numeric, detail: "vmin and vmax must both be percentiles (pX) or both "
                                + "numbers, got \(numeric)='\(values[numeric]!)'")
        }
        try ValueWindow.percentiles.checkOrder(vmin: low, vmax: high)
        return PercentileStretch(low: low, high: high)
    }

    /// `pX` → X in 0...100; nil for a value that is not a percentile.
    private static func percent(_ name: String, _ text: String) throws(RequestError) -> Double? {
        guard isPercentile(text) else { return nil }
        let number = String(text.dropFirst())
        guard let percent = Double(number), percent.isFinite, (0...100).contains(percent) else {
            throw .badParameter(name: name, detail: "\(name) as a percentile is p followed by a number "
                                + "from 0 to 100, got '\(text)'")
        }
        return percent + 0
    }

    /// Normalized, for `FrameQuery.canonicalKey`: equal keys, equal bodies.
    public var canonicalKey: String {
        func number(_ value: Double?) -> String { value.map { $0.description } ?? "-" }
        let norm: String
        switch normalization {
        case nil: norm = "-"
        case .static: norm = "static"
        case .dynamic(let window): norm = "dynamic:\(window)"
        }
        return "height=\(height.map(String.init) ?? "-")&norm=\(norm)"
            + "&pvmin=\(number(stretch.low))&pvmax=\(number(stretch.high))"
    }
}
