import FramesCore
import FrameStore
import PostgresClient

/// `/datasets/NAME` (now, or `generation=G`), `/datasets/NAME/generations` and
/// `/datasets/NAME/changes?from=G1&to=G2`: a dataset's versions over HTTP, as `frames-admin datasets
/// show/history/diff` print them.
struct DatasetHistoryEndpoint {
    let database: DatabaseSession
    let cacheMaxAge: Int

    func respond(to request: IncomingRequest, route: Route) throws(RequestError) -> Response {
        guard let name = Route.datasetPath(request.path.split(separator: "?").first ?? "")?.name else {
            throw .unknownPath(request.path)
        }
        let allowed: [String] = switch route {
        case .dataset: ["generation"]
        case .changes: ["from", "to"]
        default: []
        }
        let values = try FrameQuery.uniqueKnownValues(try QueryString.decode(request.query), allowed: allowed)
        switch route {
        case .dataset: return try dataset(name, generation: values["generation"], request)
        case .generations: return try generations(name, request)
        default: return try changes(name, values, request)
        }
    }

    private func dataset(_ name: String, generation text: String?, _ request: IncomingRequest) throws(RequestError) -> Response {
        let generation = try text.map { (text) throws(RequestError) in try FrameQuery.generation(text) }
        let dataset: DatasetInfo
        if let generation {
            dataset = try database.dataset(name, asOf: generation)
        } else {
            let current = try database.run { reader throws(PostgresError) in try reader.dataset(named: name) }
            guard let current else { throw .unknownDataset(name) }
            dataset = current
        }
        let tag = EntityTag(dataset: name, generation: dataset.generation, canonicalQuery: "dataset")
        let caching: Caching = generation == nil ? .validated(tag, maxAge: cacheMaxAge, variesWithAccept: false)
                                                 : .immutable(tag, variesWithAccept: false)
        var body: [UInt8] = [UInt8(ascii: "{")]
        ServiceDocuments.appendFields(of: dataset, to: &body)
        body.append(UInt8(ascii: "}"))
        return answer(body, "application/json", caching, request)
    }

    private func generations(_ name: String, _ request: IncomingRequest) throws(RequestError) -> Response {
        let records = try database.asOf { history throws(GenerationReader.Failure) in try history.generations(of: name) }
        guard let newest = records.first else { throw .unknownDataset(name) }
        // A new generation, or a prune, changes the list: both move the newest generation or its marks.
        let marks = records.filter(\.pruned).count
        let tag = EntityTag(dataset: name, generation: newest.generation, canonicalQuery: "generations&pruned=\(marks)")
        return answer(GenerationDocuments.generations(records), "application/json",
                      .validated(tag, maxAge: cacheMaxAge, variesWithAccept: false), request)
    }

    private func changes(_ name: String, _ values: [String: String], _ request: IncomingRequest) throws(RequestError) -> Response {
        guard let fromText = values["from"], let toText = values["to"] else {
            throw .badParameter(name: values["from"] == nil ? "from" : "to",
                                detail: "changes need from=G1 and to=G2, two generations of the dataset")
        }
        let from = try FrameQuery.generation(fromText, parameter: "from")
        let to = try FrameQuery.generation(toText, parameter: "to")
        let changes = try database.asOf { history throws(GenerationReader.Failure) in
            try history.changes(of: name, from: from, to: to)
        }
        var body: [UInt8] = []
        for change in changes { GenerationDocuments.appendLine(change, to: &body) }
        // Two fixed generations: the answer can never change.
        let tag = EntityTag(dataset: name, generation: to, canonicalQuery: "changes&from=\(from)")
        return answer(body, FrameFormat.ndjson.contentType, .immutable(tag, variesWithAccept: false), request)
    }

    private func answer(_ body: [UInt8], _ contentType: String, _ caching: Caching,
                        _ request: IncomingRequest) -> Response {
        if let condition = request.ifNoneMatch, let tag = caching.tag, tag.matches(ifNoneMatch: condition) {
            return .notModified(caching)
        }
        return .whole(Representation(contentType: contentType, caching: caching), body: body)
    }
}
