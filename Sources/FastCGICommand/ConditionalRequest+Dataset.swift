import FramesCore

extension ConditionalRequest {
    /// A 304 for a request about the current generation of a dataset, whose answer's caching (with
    /// its tag) follows from the dataset alone; nil otherwise. Only a conditional request pays for this
    /// small lookup, and a match is answered before anything else is read.
    func notModified(dataset name: String?, in data: FrameData,
                     caching: (DatasetInfo) -> Caching) throws(RequestError) -> Response? {
        guard isConditional else { return nil }
        guard let dataset = try data.recentDataset(named: name) else { throw try data.missingDataset(name) }
        return notModified(caching(dataset))
    }
}
