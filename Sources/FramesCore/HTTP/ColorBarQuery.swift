/// A validated `/colormaps/NAME.png` request (the name comes from the path):
/// `width`, `height` (1 to 4096 pixels each; default 256 × 16, or 16 × 256 when vertical),
/// `orientation` (`horizontal`, the default, or `vertical`), `vmin`, `vmax` (numbers, as for
/// `/frames`) and `colors` (a custom map, with the name `custom`).
public struct ColorBarQuery: RouteQuery, Equatable {
    public static let parameterNames = ["width", "height", "orientation", "vmin", "vmax", "colors"]
    public static let sizeRange = 1...4096

    public var bar: ColorBar
    public var vmin: Double?
    public var vmax: Double?
    public var colors: String?

    public init(parameters: [QueryParameter]) throws(RequestError) {
        let values = try QueryValues.unique(parameters, allowed: Self.parameterNames)
        let orientation = try values["orientation"].map { (text) throws(RequestError) in
            guard let orientation = ColorBar.Orientation(rawValue: text) else {
                let known = ColorBar.Orientation.allCases.map(\.rawValue).joined(separator: ", ")
                throw .badParameter(name: "orientation", detail: "orientation must be one of \(known), got '\(text)'")
            }
            return orientation
        } ?? .horizontal
        let (long, short) = (256, 16)
        let width = try Self.size("width", values) ?? (orientation == .horizontal ? long : short)
        let height = try Self.size("height", values) ?? (orientation == .horizontal ? short : long)
        bar = ColorBar(width: width, height: height, orientation: orientation)
        vmin = try values["vmin"].map { (text) throws(RequestError) in try QueryValues.finiteNumber("vmin", text) }
        vmax = try values["vmax"].map { (text) throws(RequestError) in try QueryValues.finiteNumber("vmax", text) }
        try ValueWindow.values.checkOrder(vmin: vmin, vmax: vmax)
        colors = values["colors"]
    }

    /// Every parameter that changes the image, normalized (the name is the path's).
    public var canonicalKey: String {
        func number(_ value: Double?) -> String { value.map { $0.description } ?? "-" }
        return "width=\(bar.width)&height=\(bar.height)&orientation=\(bar.orientation.rawValue)"
            + "&vmin=\(number(vmin))&vmax=\(number(vmax))&colors=\(colors.map { "\($0.utf8.count):\($0)" } ?? "-")"
    }

    private static func size(_ name: String, _ values: [String: String]) throws(RequestError) -> Int? {
        try values[name].map { (text) throws(RequestError) in
            guard let size = Int(text), sizeRange.contains(size) else {
                throw .badParameter(name: name, detail: "\(name) must be an integer from \(sizeRange.lowerBound) "
                                    + "to \(sizeRange.upperBound), got '\(text)'")
            }
            return size
        }
    }
}
