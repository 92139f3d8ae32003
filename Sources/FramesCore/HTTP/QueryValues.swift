/// A query type of one route: the names its parser accepts (any other name is a 400 naming the
/// known ones), so that the names can be listed and checked against the API's description.
public protocol RouteQuery: Sendable {
    static var parameterNames: [String] { get }
}

/// The rules every query type shares: unknown names, repeats, numbers and generations.
public enum QueryValues {
    /// Each parameter's value by name. Unknown names are all reported at once, before a repeated one.
    public static func unique(_ parameters: [QueryParameter], allowed: [String]) throws(RequestError) -> [String: String] {
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

    /// `+ 0` turns `-0` into `0`, so `-0` and `0` give the same canonical key and JSON.
    public static func finiteNumber(_ name: String, _ text: String) throws(RequestError) -> Double {
        guard let value = Double(text), value.isFinite else {
            throw .badParameter(name: name, detail: "\(name) must be a finite number, got '\(text)'")
        }
        return value + 0
    }

    /// A generation number as a client writes it: a positive whole number.
    public static func generation(_ text: String, parameter: String = "generation") throws(RequestError) -> Int64 {
        guard let value = Int64(text), value > 0 else {
            throw .badParameter(name: parameter, detail: "\(parameter) must be a positive whole number, got '\(text)'")
        }
        return value
    }

    /// `dataset=` as `/frames` and `/statistics` take it: a name, never empty.
    static func dataset(_ values: [String: String]) throws(RequestError) -> String? {
        if let name = values["dataset"], name.isEmpty {
            throw .badParameter(name: "dataset", detail: "dataset must not be empty")
        }
        return values["dataset"]
    }
}

/// The query of a route that takes no parameters (`/`, `/health`, `/ready`, `/datasets`, `/colormaps`,
/// `/datasets/NAME/generations`).
public struct EmptyQuery: RouteQuery, Equatable {
    public static let parameterNames: [String] = []

    public init(parameters: [QueryParameter]) throws(RequestError) {
        _ = try QueryValues.unique(parameters, allowed: Self.parameterNames)
    }
}

/// `/datasets/NAME`: `generation` (as of that generation; the current one when left out).
public struct DatasetQuery: RouteQuery, Equatable {
    public static let parameterNames = ["generation"]
    public var generation: Int64?

    public init(parameters: [QueryParameter]) throws(RequestError) {
        let values = try QueryValues.unique(parameters, allowed: Self.parameterNames)
        generation = try values["generation"].map { (text) throws(RequestError) in try QueryValues.generation(text) }
    }
}

/// `/datasets/NAME/changes`: `from` and `to`, two generations, both required.
public struct ChangesQuery: RouteQuery, Equatable {
    public static let parameterNames = ["from", "to"]
    public var from: Int64
    public var to: Int64

    public init(parameters: [QueryParameter]) throws(RequestError) {
        let values = try QueryValues.unique(parameters, allowed: Self.parameterNames)
        guard let fromText = values["from"], let toText = values["to"] else {
            throw .badParameter(name: values["from"] == nil ? "from" : "to",
                                detail: "changes need from=G1 and to=G2, two generations of the dataset")
        }
        from = try QueryValues.generation(fromText, parameter: "from")
        to = try QueryValues.generation(toText, parameter: "to")
    }
}
