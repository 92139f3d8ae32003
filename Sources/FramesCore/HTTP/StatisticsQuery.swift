/// A validated `/statistics` request: `dataset`, `depth_min`, `depth_max` (each end optional: the
/// dataset's own end when left out) and `p` (a percentile from 0 to 100, repeatable; the default
/// set when none is given), and `generation` (as of that generation; the current one when left out).
public struct StatisticsQuery: RouteQuery, Equatable {
    public static let parameterNames = ["dataset", "depth_min", "depth_max", "p", "generation"]
    public static let defaultPercentiles: [Double] = [1, 5, 25, 50, 75, 95, 99]

    public var dataset: String?
    public var depthMin: Double?
    public var depthMax: Double?
    /// In the order asked, each once.
    public var percentiles: [Double]
    public var generation: Int64?

    public init(parameters: [QueryParameter]) throws(RequestError) {
        // `p` is the one parameter that may repeat; the others follow FrameQuery's rules.
        let values = try QueryValues.unique(parameters.filter { $0.name != "p" }, allowed: Self.parameterNames)
        dataset = try QueryValues.dataset(values)
        depthMin = try values["depth_min"].map { (text) throws(RequestError) in try QueryValues.finiteNumber("depth_min", text) }
        depthMax = try values["depth_max"].map { (text) throws(RequestError) in try QueryValues.finiteNumber("depth_max", text) }
        if let depthMin, let depthMax, depthMin > depthMax {
            throw .badParameter(name: "depth_min", detail: "depth_min (\(depthMin)) must not exceed depth_max (\(depthMax))")
        }
        generation = try values["generation"].map { (text) throws(RequestError) in try QueryValues.generation(text) }
        var percentiles: [Double] = []
        for parameter in parameters where parameter.name == "p" {
            guard let value = Double(parameter.value), value.isFinite, (0...100).contains(value) else {
                throw .badParameter(name: "p", detail: "p must be a number from 0 to 100, got '\(parameter.value)'")
            }
            if !percentiles.contains(value + 0) { percentiles.append(value + 0) }
        }
        self.percentiles = percentiles.isEmpty ? Self.defaultPercentiles : percentiles
    }

    /// The depths asked for, with a missing end left open (infinite).
    public var span: ClosedRange<Double> {
        (depthMin ?? -.infinity)...(depthMax ?? .infinity)
    }

    /// Every parameter that changes the body, normalized (the dataset is in the ETag separately).
    public var canonicalKey: String {
        func number(_ value: Double?) -> String { value.map { $0.description } ?? "-" }
        return "depth_min=\(number(depthMin))&depth_max=\(number(depthMax))&p="
            + percentiles.map(\.description).joined(separator: ",") + (generation.map { "&generation=\($0)" } ?? "")
    }

    /// A percentile's key in the answer: `50` for 50, `99.5` for 99.5.
    public static func key(_ percentile: Double) -> String {
        percentile == percentile.rounded() ? String(Int(percentile)) : percentile.description
    }
}
