import FramesCore
import ProcessSupport

/// The dataset rows a worker looked up in the last moment, for answering `If-None-Match` without a
/// round trip to PostgreSQL: a revalidation then costs about what `/health` does.
///
/// A row is reused for at most `lifetime` seconds, so after a re-ingest or a rename a revalidation may
/// be told "not modified" for that long: far inside what `Cache-Control: max-age` already allows
/// caches. Bodies never come from here: a 200 reads the dataset with its frames, in one statement.
final class RecentDatasets {
    private var entries: [String?: (dataset: DatasetInfo?, fetched: Double)] = [:]
    private let lifetime: Double
    /// A quarter second: under load that still spares nearly every revalidation its round trip.
    static let defaultLifetime = 0.25
    /// Enough for every dataset of a busy site; past it the map starts over (names are the clients').
    private static let capacity = 1024

    init(lifetime: Double = RecentDatasets.defaultLifetime) {
        self.lifetime = lifetime
    }

    /// The dataset named (nil: the only one), fetched when the remembered row is older than `lifetime`.
    func dataset(named name: String?,
                 fetch: (String?) throws(RequestError) -> DatasetInfo?) throws(RequestError) -> DatasetInfo? {
        let now = Clock.monotonicSeconds
        if let known = entries[name], now - known.fetched < lifetime { return known.dataset }
        let dataset = try fetch(name)
        if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
        entries[name] = (dataset, now)
        return dataset
    }
}
