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
    var metricsDirectory: String?

    /// `logs/img_standin.csv` → `img_standin`.
    static func datasetName(forFile path: String) -> String {
        let base = path.split(separator: "/").last.map(String.init) ?? path
        return base.hasSuffix(".csv") ? String(base.dropLast(4)) : base
    }
}
