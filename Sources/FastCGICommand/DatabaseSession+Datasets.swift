import FramesCore
import FrameStore
import PostgresClient

/// What the endpoints that answer for one dataset share: revalidation and the 404 (or 400).
extension DatabaseSession {
    /// A 304 when the request's `If-None-Match` names the current representation, whose caching
    /// (with its tag) follows from the dataset alone; nil otherwise. Only a conditional request pays
    /// for this small lookup, and a match is answered before anything else is read.
    func notModified(_ request: IncomingRequest, dataset name: String?,
                     caching: (DatasetInfo) -> Caching) throws(RequestError) -> Response? {
        guard let condition = request.ifNoneMatch else { return nil }
        // Often no round trip: a row read a moment ago (RecentDatasets) answers.
        let dataset = try recent.dataset(named: name) { (name) throws(RequestError) in
            try run { reader throws(PostgresError) in try reader.dataset(named: name) }
        }
        guard let dataset else { throw try missingDataset(name) }
        let current = caching(dataset)
        guard let tag = current.tag, tag.matches(ifNoneMatch: condition) else { return nil }
        return .notModified(current)
    }

    /// The dataset a request names, or the only one, as it was in `generation`.
    func dataset(_ name: String?, asOf generation: Int64) throws(RequestError) -> DatasetInfo {
        let resolved: String
        if let name {
            resolved = name
        } else {
            let only = try run { reader throws(PostgresError) in try reader.dataset(named: nil) }
            guard let only else { throw try missingDataset(nil) }
            resolved = only.name
        }
        return try asOf { history throws(GenerationReader.Failure) in try history.dataset(resolved, asOf: generation) }
    }

    /// Why no dataset was found: unknown, none loaded, or several and none named (only an unnamed
    /// request pays for this second look).
    func missingDataset(_ name: String?) throws(RequestError) -> RequestError {
        if let name { return .unknownDataset(name) }
        let datasets = try run { reader throws(PostgresError) in try reader.datasets() }
        switch datasets.count {
        case 0: return .unknownDataset("(none loaded yet)")
        case 1: return .unknownDataset(datasets[0].name)  // it appeared a moment ago: as good as unknown then
        default:
            return .badParameter(name: "dataset", detail: "several datasets exist; name one with dataset=: "
                                 + datasets.map(\.name).joined(separator: ", "))
        }
    }
}
