/// The command line of `frames-ingest`, with the environment a systemd `EnvironmentFile` provides.
struct IngestOptions {
    enum Mode: Equatable {
        case files([String])
        case spool(String)
        case generateSample(path: String, rows: Int)
        case help
    }

    var mode: Mode = .help
    var database: String?
    var dataset: String?
    var width = 150
    var skipBadRows = false
    var metricsDirectory: String?

    static let usage = """
        usage: frames-ingest [--database CONNINFO] [--dataset NAME] [--width N] [--skip-bad-rows] FILE...
               frames-ingest --spool DIR [--database CONNINFO] [--width N] [--skip-bad-rows]
               frames-ingest --generate-sample FILE [--rows N]

          --database CONNINFO  libpq conninfo or URI (default: $FRAMES_DATABASE_URL)
          --dataset NAME       dataset to load into (default: the file's name without .csv)
          --width N            resized width in pixels (default 150)
          --skip-bad-rows      load the valid rows and report each bad one, instead of rejecting the file
          --spool DIR          ingest DIR/incoming/*.csv, moving each to DIR/done or DIR/failed
          --metrics-dir DIR    write frames_ingest.prom there (default: $FRAMES_METRICS_DIR)
          --generate-sample F  write a synthetic image log to F (--rows N, default 5460)

        exit status: 0 ok, 64 usage, 65 bad data, 66 no input, 75 database unavailable (retry later)
        """

    static func parse(_ arguments: [String], environment: [String: String]) throws(IngestError) -> IngestOptions {
        var options = IngestOptions()
        options.database = environment["FRAMES_DATABASE_URL"]
        options.metricsDirectory = environment["FRAMES_METRICS_DIR"]
        var files: [String] = []
        var spool: String?
        var sample: String?
        var rows = 5460
        var remaining = arguments[...]
        func value(_ flag: String) throws(IngestError) -> String {
            guard let next = remaining.popFirst() else { throw .usage("\(flag) needs a value") }
            return next
        }
        func number(_ flag: String) throws(IngestError) -> Int {
            let text = try value(flag)
            guard let parsed = Int(text), parsed > 0 else { throw .usage("\(flag) takes a positive whole number, not `\(text)`") }
            return parsed
        }
        while let argument = remaining.popFirst() {
            switch argument {
            case "-h", "--help": return IngestOptions()
            case "--database": options.database = try value(argument)
            case "--dataset": options.dataset = try value(argument)
            case "--width": options.width = try number(argument)
            case "--skip-bad-rows": options.skipBadRows = true
            case "--spool": spool = try value(argument)
            case "--metrics-dir": options.metricsDirectory = try value(argument)
            case "--generate-sample": sample = try value(argument)
            case "--rows": rows = try number(argument)
            case "--": files.append(contentsOf: remaining); remaining = []
            default:
                guard !argument.hasPrefix("-") || argument == "-" else { throw .usage("unknown option \(argument)") }
                files.append(argument)
            }
        }
        let modes = [!files.isEmpty, spool != nil, sample != nil].filter { $0 }.count
        guard modes == 1 else {
            throw .usage(modes == 0 ? "name at least one FILE, or --spool DIR" : "FILE..., --spool and --generate-sample do not mix")
        }
        if let spool {
            guard options.dataset == nil else { throw .usage("--dataset does not apply to --spool: each file's name is its dataset") }
            options.mode = .spool(spool)
        } else if let sample {
            options.mode = .generateSample(path: sample, rows: rows)
        } else {
            guard options.dataset == nil || files.count == 1 else { throw .usage("--dataset names one dataset: give one FILE") }
            options.mode = .files(files)
        }
        if options.mode != .generateSample(path: sample ?? "", rows: rows), options.database == nil {
            throw .usage("no database: pass --database or set FRAMES_DATABASE_URL")
        }
        return options
    }

    /// `logs/img_standin.csv` → `img_standin`.
    static func datasetName(forFile path: String) -> String {
        let base = path.split(separator: "/").last.map(String.init) ?? path
        return base.hasSuffix(".csv") ? String(base.dropLast(4)) : base
    }
}
