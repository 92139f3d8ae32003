import FramesCore
import FrameStore
import GzipCodec
import PostgresClient

/// `GET /statistics`: the histogram, percentiles, mean and std of a depth range's ORIGINAL pixels.
/// The blocks the range covers come as stored histograms; only the rows at its ends are inflated.
struct StatisticsEndpoint {
    let database: DatabaseSession
    let cacheMaxAge: Int
    let decompressor: GzipDecompressor

    func respond(to request: IncomingRequest) throws(RequestError) -> Response {
        let query = try StatisticsQuery(queryString: request.query)
        if let current = try database.notModified(request, dataset: query.dataset, caching: { caching($0, query) }) {
            return current
        }
        let sources = try database.run { reader throws(PostgresError) in
            try reader.rangeHistograms(dataset: query.dataset, span: query.span)
        }
        guard let sources else { throw try database.missingDataset(query.dataset) }
        var histogram = sources.blocks
        for row in sources.compressedRows {
            do {
                histogram.add(try decompressor.decompress(row, size: sources.dataset.originalWidth))
            } catch {
                throw .internalError(reason: "a stored original row does not inflate: \(error)")
            }
        }
        let statistics = RangeStatistics(dataset: sources.dataset, query: query,
                                         frames: sources.blockFrames + sources.compressedRows.count, histogram: histogram)
        return .whole(Representation(contentType: "application/json", caching: caching(sources.dataset, query)),
                      body: statistics.json)
    }

    private func caching(_ dataset: DatasetInfo, _ query: StatisticsQuery) -> Caching {
        .validated(EntityTag(dataset: dataset.name, generation: dataset.generation,
                             canonicalQuery: "statistics?" + query.canonicalKey),
                   maxAge: cacheMaxAge, variesWithAccept: false)
    }
}
