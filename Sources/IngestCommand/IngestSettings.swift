import CommandLineSupport

/// Every setting of `frames-ingest` that a `FRAMES_*` variable gives (its other options say what to load,
/// not how the service runs). Adding a property here adds the option, its variable and their documentation.
struct IngestSettings: SettingTable {
    let database = Setting<String?>.database

    let metricsDirectory = Setting<String?>.metricsDirectory(writing: "frames_ingest.prom")

    /// Not read by the binary: frames-ingest.service passes it as `--spool`.
    let spoolDirectory = Setting<String?>(
        flag: nil, variable: "FRAMES_SPOOL_DIR", valueName: "dir",
        summary: "The spool that frames-ingest.service loads (its --spool).", default: .none(), parser: .text,
        installed: "/var/spool/frames",
        details: """
            CSV logs dropped (by rename) into incoming/ are loaded and moved to done/ or failed/. Another folder \
            also needs ReadWritePaths= in frames-ingest.service and PathExistsGlob= in frames-ingest.path changed \
            (systemctl edit).
            """)

    let keepGenerations = Setting<Int?>(
        flag: nil, variable: "FRAMES_KEEP_GENERATIONS", valueName: "k",
        summary: "After each commit, prune all but the <k> newest generations of the dataset.",
        default: .none(meaning: "every generation is kept"),
        parser: .wholeNumber(from: 1, expecting: "a positive whole number"), installed: "",
        details: """
            The pruning drops the older generations' history rows in the ingest's own transaction \
            (`frames-admin datasets prune` does it by hand). Empty keeps every generation.
            """)

    init() {}
}
