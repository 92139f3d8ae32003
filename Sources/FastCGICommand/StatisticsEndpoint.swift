import FramesCore
import FrameStore
import GzipCodec
import PostgresClient

/// `GET /statistics`: the histogram, percentiles, mean and std of a depth range's ORIGINAL pixels.
/// The blocks the range covers come as stored histograms; only the rows at its ends are inflated.
/// A past generation (`generation=G`) has no stored histograms: every original row of its range is
/// inflated, so it costs what the dataset's first read without blocks did.
struct StatisticsEndpoint {
    let database: DatabaseSession
    let cacheMaxAge: Int
    let decompressor: GzipDecompressor

    func respond(to request: IncomingRequest) throws(RequestError) -> Response {
        let query = try StatisticsQuery(queryString: request.query)
        if let generation = query.generation { return try past(generation, query, request) }
        if let current = try database.notModified(request, dataset: query.dataset, caching: { caching($0, query) }) {
            return current
        }
        let sources = try database.run { reader throws(PostgresError) in
            try reader.rangeHistograms(dataset: query.dataset, span: query.span)
        }
        guard let sources else { throw try database.missingDataset(query.dataset) }
        return .whole(Representation(contentType: "application/json", caching: caching(sources.dataset, query)),
                      body: try statistics(sources, query).json)
    }

    /// As of generation G: immutable, and an `If-None-Match` for it is answered from the tag alone.
    private func past(_ generation: Int64, _ query: StatisticsQuery, _ request: IncomingRequest) throws(RequestError) -> Response {
        let dataset = try database.dataset(query.dataset, asOf: generation)
        let tag = tag(dataset, query)
        let caching = Caching.immutable(tag, variesWithAccept: false)
        if let condition = request.ifNoneMatch, tag.matches(ifNoneMatch: condition) { return .notModified(caching) }
        var sources = RangeHistograms(dataset: dataset)
        sources.compressedRows = try database.asOf { history throws(GenerationReader.Failure) in
            try history.compressedOriginals(dataset: dataset.name, asOf: generation, span: query.span)
        }
        return .whole(Representation(contentType: "application/json", caching: caching),
                      body: try statistics(sources, query).json)
    }

    private func statistics(_ sources: RangeHistograms, _ query: StatisticsQuery) throws(RequestError) -> RangeStatistics {
        var histogram = sources.blocks
        for row in sources.compressedRows {
            do {
                histogram.add(try decompressor.decompress(row, size: sources.dataset.originalWidth))
            } catch {
                throw .internalError(reason: "a stored original row does not inflate: \(error)")
            }
        }
        return RangeStatistics(dataset: sources.dataset, query: query,
                               frames: sources.blockFrames + sources.compressedRows.count, histogram: histogram)
    }

    private func tag(_ dataset: DatasetInfo, _ query: StatisticsQuery) -> EntityTag {
        EntityTag(dataset: dataset.name, generation: dataset.generation, canonicalQuery: "statistics?" + query.canonicalKey)
    }

    private func caching(_ dataset: DatasetInfo, _ query: StatisticsQuery) -> Caching {
        .validated(tag(dataset, query), maxAge: cacheMaxAge, variesWithAccept: false)
    }
}
