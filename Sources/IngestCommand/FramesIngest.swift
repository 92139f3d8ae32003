import ArgumentParser
import CommandLineSupport
import ProcessSupport

/// The command line of `frames-ingest`. Options left out fall back to the `FRAMES_*` variables that a
/// systemd `EnvironmentFile=` provides.
public struct FramesIngest: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "frames-ingest",
        abstract: "Load borehole image logs (CSV: depth, then one column per pixel) into PostgreSQL.",
        usage: """
            frames-ingest [--database <conninfo>] [--dataset <name>] [--width <n>] [--skip-bad-rows] [--merge] <file> ...
            frames-ingest --spool <dir> [--database <conninfo>] [--width <n>] [--skip-bad-rows]
            frames-ingest --generate-sample <file> [--rows <n>]
            """,
        discussion: """
            Each file is loaded into one dataset in one transaction: whole, or not at all. Rows are \
            resized to --width pixels with a Lanczos filter and stored with their statistics. Each load \
            is a new generation of the dataset; earlier generations stay readable. Frames that did not \
            change are not stored again. With FRAMES_KEEP_GENERATIONS=K, each load then prunes all but \
            the K newest generations of its dataset.

            Exit status: 0 done, 64 usage, 65 bad data (some file was rejected), 66 no input, \
            70 database error, 74 I/O error, 75 database unavailable (retry later).
            """,
        version: FramesVersion.string)

    @OptionGroup var settings: SettingOptions<IngestSettings>

    @Option(help: ArgumentHelp("Dataset to load into. Default: the file's name without .csv.", valueName: "name"))
    var dataset: String?

    @Option(help: ArgumentHelp("Resized width in pixels.", valueName: "n"))
    var width = 150

    @Flag(help: "Load the valid rows and report each bad one, instead of rejecting the file.")
    var skipBadRows = false

    @Flag(help: "Upsert the file's depths into the dataset and keep its other depths, instead of replacing it.")
    var merge = false

    @Option(help: ArgumentHelp("Ingest <dir>/incoming/*.csv, moving each file to <dir>/done or <dir>/failed.",
                               valueName: "dir"))
    var spool: String?

    @Option(name: .customLong("generate-sample"),
            help: ArgumentHelp("Write a synthetic image log to <file> instead of loading anything.", valueName: "file"))
    var samplePath: String?

    @Option(help: ArgumentHelp("Rows of the synthetic log.", valueName: "n"))
    var rows = 5460

    @Argument(help: ArgumentHelp("CSV files to load, each into its own dataset.", valueName: "file"))
    var files: [String] = []

    @OptionGroup var dump: SettingsDump

    public init() {}

    public func run() throws {
        if dump.printIfRequested(IngestSettings()) { return }
        try ingest(try options(environment: Environment.variables)).exitIfFailed()
    }

    /// Checked here rather than in `validate()`, which argument-parser calls before it looks for unknown
    /// options: a mistyped option is reported as such, not as what its absence implies.
    func options(environment: [String: String]) throws(ValidationError) -> IngestOptions {
        guard width > 0 else { throw ValidationError("--width takes a positive whole number, not \(width)") }
        guard rows > 0 else { throw ValidationError("--rows takes a positive whole number, not \(rows)") }
        let modes = [!files.isEmpty, spool != nil, samplePath != nil].filter { $0 }.count
        guard modes == 1 else {
            throw ValidationError(modes == 0 ? "name at least one FILE, or --spool DIR"
                                             : "FILE..., --spool and --generate-sample do not mix")
        }
        let mode: IngestOptions.Mode
        if let spool {
            guard dataset == nil else { throw ValidationError("--dataset does not apply to --spool: each file's name is its dataset") }
            guard !merge else { throw ValidationError("--merge does not apply to --spool: spool files replace their dataset") }
            mode = .spool(spool)
        } else if let samplePath {
            mode = .generateSample(path: samplePath, rows: rows)
        } else {
            guard dataset == nil || files.count == 1 else { throw ValidationError("--dataset names one dataset: give one FILE") }
            mode = .files(files)
        }
        let values = settings.values(environment: environment), table = IngestSettings()
        // A sample is written without a database.
        let database = samplePath == nil ? try values.database() : nil
        return IngestOptions(mode: mode, database: database, dataset: dataset, width: width, skipBadRows: skipBadRows,
                             merge: merge, keepGenerations: try values.value(of: table.keepGenerations),
                             metricsDirectory: try values.value(of: table.metricsDirectory))
    }
}
