import Digests
import FramesCore
import FrameStore
import GzipCodec

/// `GET /statistics`: the histogram, percentiles, mean and std of a depth range's ORIGINAL pixels.
/// The blocks the range covers come as stored histograms; only the rows at its ends are inflated.
/// A past generation (`generation=G`) has no stored histograms: every original row of its range is
/// inflated, so it costs what the dataset's first read without blocks did.
struct StatisticsEndpoint {
    let data: FrameData
    let cacheMaxAge: Int
    let decompressor: GzipDecompressor

    func respond(to query: StatisticsQuery, _ condition: ConditionalRequest) throws(RequestError) -> Response {
        if let generation = query.generation { return try past(generation, query, condition) }
        if let current = try condition.notModified(dataset: query.dataset, in: data, caching: { caching($0, query) }) {
            return current
        }
        guard let sources = try data.rangeHistograms(dataset: query.dataset, span: query.span) else {
            throw try data.missingDataset(query.dataset)
        }
        return .whole(Representation(contentType: "application/json", caching: caching(sources.dataset, query)),
                      body: try statistics(sources, query).json)
    }

    /// As of generation G: immutable, and an `If-None-Match` for it is answered from the tag alone.
    private func past(_ generation: Int64, _ query: StatisticsQuery, _ condition: ConditionalRequest) throws(RequestError) -> Response {
        let dataset = try data.dataset(query.dataset, asOf: generation)
        let caching = Caching.immutable(tag(dataset, query), variesWithAccept: false)
        if let unchanged = condition.notModified(caching) { return unchanged }
        var sources = RangeHistograms(dataset: dataset)
        sources.compressedRows = try data.compressedOriginals(of: dataset, asOf: generation, span: query.span)
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
        EntityTag(dataset: dataset.name, generation: dataset.generation, canonicalQuery: "statistics?" + query.canonicalKey,
                  hashes: SystemHashes())
    }

    private func caching(_ dataset: DatasetInfo, _ query: StatisticsQuery) -> Caching {
        .validated(tag(dataset, query), maxAge: cacheMaxAge, variesWithAccept: false)
    }
}
