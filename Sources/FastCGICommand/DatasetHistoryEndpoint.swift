import Digests
import FramesCore

/// `/datasets/NAME` (now, or `generation=G`), `/datasets/NAME/generations` and
/// `/datasets/NAME/changes?from=G1&to=G2`: a dataset's versions over HTTP, as `frames-admin datasets
/// show/history/diff` print them.
struct DatasetHistoryEndpoint {
    let data: FrameData
    let cacheMaxAge: Int

    func dataset(_ name: String, _ query: DatasetQuery, _ condition: ConditionalRequest) throws(RequestError) -> Response {
        let dataset: DatasetInfo
        if let generation = query.generation {
            dataset = try data.dataset(name, asOf: generation)
        } else {
            guard let current = try data.dataset(named: name) else { throw .unknownDataset(name) }
            dataset = current
        }
        let tag = EntityTag(dataset: name, generation: dataset.generation, canonicalQuery: "dataset", hashes: SystemHashes())
        let caching: Caching = query.generation == nil ? .validated(tag, maxAge: cacheMaxAge, variesWithAccept: false)
                                                       : .immutable(tag, variesWithAccept: false)
        var body: [UInt8] = [UInt8(ascii: "{")]
        ServiceDocuments.appendFields(of: dataset, to: &body)
        body.append(UInt8(ascii: "}"))
        return answer(body, "application/json", caching, condition)
    }

    func generations(_ name: String, _ condition: ConditionalRequest) throws(RequestError) -> Response {
        let records = try data.generations(of: name)
        guard let newest = records.first else { throw .unknownDataset(name) }
        // A new generation, or a prune, changes the list: both move the newest generation or its marks.
        let marks = records.filter(\.pruned).count
        let tag = EntityTag(dataset: name, generation: newest.generation, canonicalQuery: "generations&pruned=\(marks)",
                            hashes: SystemHashes())
        return answer(GenerationDocuments.generations(records), "application/json",
                      .validated(tag, maxAge: cacheMaxAge, variesWithAccept: false), condition)
    }

    func changes(_ name: String, _ query: ChangesQuery, _ condition: ConditionalRequest) throws(RequestError) -> Response {
        let changes = try data.changes(of: name, from: query.from, to: query.to)
        var body: [UInt8] = []
        for change in changes { GenerationDocuments.appendLine(change, to: &body) }
        // Two fixed generations: the answer can never change.
        let tag = EntityTag(dataset: name, generation: query.to, canonicalQuery: "changes&from=\(query.from)", hashes: SystemHashes())
        return answer(body, FrameFormat.ndjson.contentType, .immutable(tag, variesWithAccept: false), condition)
    }

    private func answer(_ body: [UInt8], _ contentType: String, _ caching: Caching,
                        _ condition: ConditionalRequest) -> Response {
        condition.notModified(caching) ?? .whole(Representation(contentType: contentType, caching: caching), body: body)
    }
}
