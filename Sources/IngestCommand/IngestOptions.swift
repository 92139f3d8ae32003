/// What one `frames-ingest` run does, resolved from the command line and the environment.
struct IngestOptions {
    enum Mode: Equatable {
        case files([String])
        case spool(String)
        case generateSample(path: String, rows: Int)
    }

    var mode: Mode
    var database: String?
    var dataset: String?
    var width: Int
    var skipBadRows: Bool
    /// Upsert the files' depths and keep the dataset's others (`--merge`), instead of replacing it.
    var merge = false
    /// FRAMES_KEEP_GENERATIONS: after each commit, prune all but this many newest generations.
    var keepGenerations: Int?
    var metricsDirectory: String?

    /// `logs/img_standin.csv` → `img_standin`.
    static func datasetName(forFile path: String) -> String {
        let base = path.split(separator: "/").last.map(String.init) ?? path
        return base.hasSuffix(".csv") ? String(base.dropLast(4)) : base
    }
}
