/// The small JSON documents of the service's informational endpoints.
public enum ServiceDocuments {
    public static func health(timestamp: String) -> [UInt8] {
        var out: [UInt8] = []
        JSONWriter.appendRaw(#"{"status":"healthy","timestamp":"#, to: &out)
        JSONWriter.appendString(timestamp, to: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// Readiness as load balancers and the README describe it: connected, and the schema is there.
    public static func readiness(timestamp: String, connected: Bool, tablesExist: Bool) -> [UInt8] {
        var out: [UInt8] = []
        JSONWriter.appendRaw(#"{"status":"#, to: &out)
        JSONWriter.appendString(connected && tablesExist ? "ready" : "not_ready", to: &out)
        JSONWriter.appendRaw(#","timestamp":"#, to: &out)
        JSONWriter.appendString(timestamp, to: &out)
        JSONWriter.appendRaw(#","database":"#, to: &out)
        JSONWriter.appendString(connected ? "connected" : "unavailable", to: &out)
        JSONWriter.appendRaw(#","tables_exist":"#, to: &out)
        JSONWriter.appendRaw(tablesExist ? "true" : "false", to: &out)
        JSONWriter.appendRaw(#","connected":"#, to: &out)
        JSONWriter.appendRaw(connected ? "true" : "false", to: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }

    public static func datasets(_ datasets: [DatasetInfo]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "[")]
        for (index, dataset) in datasets.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "{"))
            appendFields(of: dataset, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        return out
    }

    /// The members of a dataset's JSON object, without the braces, so that a caller can add its own.
    public static func appendFields(of dataset: DatasetInfo, to out: inout [UInt8]) {
        JSONWriter.appendRaw(#""name":"#, to: &out)
        JSONWriter.appendString(dataset.name, to: &out)
        JSONWriter.appendRaw(#","depth_min":"#, to: &out)
        JSONWriter.appendNumber(dataset.depthMin, to: &out)
        JSONWriter.appendRaw(#","depth_max":"#, to: &out)
        JSONWriter.appendNumber(dataset.depthMax, to: &out)
        JSONWriter.appendRaw(#","frame_count":"#, to: &out)
        JSONWriter.appendNumber(dataset.frameCount, to: &out)
        JSONWriter.appendRaw(#","original_width":"#, to: &out)
        JSONWriter.appendNumber(dataset.originalWidth, to: &out)
        JSONWriter.appendRaw(#","resized_width":"#, to: &out)
        JSONWriter.appendNumber(dataset.resizedWidth, to: &out)
        JSONWriter.appendRaw(#","generation":"#, to: &out)
        JSONWriter.appendNumber(Int(dataset.generation), to: &out)
    }

    public static func colormaps(_ names: [String], defaultName: String) -> [UInt8] {
        var out: [UInt8] = []
        JSONWriter.appendRaw(#"{"default":"#, to: &out)
        JSONWriter.appendString(defaultName, to: &out)
        JSONWriter.appendRaw(#","colormaps":["#, to: &out)
        for (index, name) in names.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONWriter.appendString(name, to: &out)
        }
        JSONWriter.appendRaw("]}", to: &out)
        return out
    }

    /// The index. `name`, `version`, `docs` and `health` are the keys the original service's index has,
    /// which its clients read.
    public static func index(version: String) -> [UInt8] {
        var out: [UInt8] = []
        JSONWriter.appendRaw(#"{"name":"Image Frame API","version":"#, to: &out)
        JSONWriter.appendString(version, to: &out)
        JSONWriter.appendRaw(#","docs":"/docs","openapi":"/openapi.json","health":"/health","#, to: &out)
        return out + indexEndpoints
    }

    private static let indexEndpoints = Array("""
        "service":"image-frame-api","description":"Borehole image logs as colormapped frames",\
        "endpoints":{"/frames":"GET ?depth_min=A&depth_max=B[&dataset=NAME][&colormap=NAME|&colors=HEX,…][&vmin=X][&vmax=Y][&limit=N][&format=json|png|ndjson][&height=H][&norm=static|dynamic&window=W][&vmin=pX&vmax=pY][&generation=G]",\
        "/statistics":"GET [?dataset=NAME][&depth_min=A][&depth_max=B][&p=P…][&generation=G]: original pixels' histogram and percentiles",\
        "/datasets/NAME":"GET [?generation=G]: one dataset","/datasets/NAME/generations":"GET: its generations with provenance",\
        "/datasets/NAME/changes":"GET ?from=G1&to=G2: depths added, changed and removed (NDJSON)",\
        "/colormaps/NAME.png":"GET [?width=W][&height=H][&orientation=horizontal|vertical][&vmin=X][&vmax=Y]: a colour bar; custom.png?colors=HEX,…",\
        "/datasets":"GET: loaded datasets","/colormaps":"GET: colormap names","/health":"GET: liveness",\
        "/ready":"GET: database readiness","/openapi.json":"GET: the OpenAPI 3.1 document of this API",\
        "/docs":"GET: the API's documentation page (Swagger UI)"}}
        """.utf8)
}
