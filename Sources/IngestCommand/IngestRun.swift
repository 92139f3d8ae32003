import FramesCore
import FrameStore
import PostgresClient
import ProcessSupport

func connect(_ conninfo: String) throws(IngestError) -> PostgresConnection {
    do {
        let connection = try PostgresConnection(conninfo: conninfo)
        try SchemaMigrations.apply(on: connection)
        return connection
    } catch {
        throw .database(error)
    }
}

func summarize(_ outcome: IngestOutcome) {
    let line = "\(outcome.file): loaded \(outcome.rowsLoaded) rows into dataset \(outcome.dataset.name) "
        + "(skipped \(outcome.emptyRowsSkipped) empty, \(outcome.badRowsSkipped) bad) in "
        + String((outcome.seconds * 1000).rounded() / 1000) + " s"
    print(line)
    guard !StandardError.isTerminal else { return }
    Log.info("ingested", ["file": .string(outcome.file), "dataset": .string(outcome.dataset.name),
                              "rows_loaded": .int(outcome.rowsLoaded), "rows_skipped_empty": .int(outcome.emptyRowsSkipped),
                              "rows_skipped_bad": .int(outcome.badRowsSkipped), "seconds": .double(outcome.seconds),
                              "generation": .int(Int(outcome.dataset.generation))])
}

func tally(_ run: inout IngestMetrics.Run, _ outcome: IngestOutcome) {
    run.rowsLoaded += outcome.rowsLoaded
    run.emptyRowsSkipped += outcome.emptyRowsSkipped
    run.badRowsSkipped += outcome.badRowsSkipped
}

/// Runs what the command line asked for; the status is the process's exit status.
func ingest(_ options: IngestOptions) -> SysExit {
    let started = Clock.monotonicSeconds
    var run = IngestMetrics.Run()
    defer {
        if let directory = options.metricsDirectory {
            run.seconds = Clock.monotonicSeconds - started
            IngestMetrics(directory: directory).record(run)
        }
    }
    do throws(IngestError) {
        switch options.mode {
        case .generateSample(let path, let rows):
            try SampleFile.write(SampleImageLog(rows: rows), to: path)
            print("\(path): wrote \(rows) rows")
            return .ok
        case .files(let paths):
            let connection = try connect(options.database!)
            for path in paths {
                let ingest = FileIngest(path: path, dataset: options.dataset ?? IngestOptions.datasetName(forFile: path),
                                        width: options.width, skipBadRows: options.skipBadRows,
                                        progress: ProgressReporter(label: IngestOptions.datasetName(forFile: path)))
                do {
                    let outcome = try ingest.run(on: connection)
                    summarize(outcome)
                    tally(&run, outcome)
                    run.files[.done, default: 0] += 1
                } catch {
                    run.files[error.exitStatus == .temporaryFailure ? .retry : .failed, default: 0] += 1
                    throw error
                }
            }
        case .spool(let directory):
            let spool = SpoolRun(directory: directory, width: options.width, skipBadRows: options.skipBadRows)
            switch try spool.run(connect: { () throws(IngestError) in try connect(options.database!) },
                                 record: { run, outcome in summarize(outcome); tally(&run, outcome) },
                                 metrics: &run) {
            case .lockedByAnotherRun:
                Log.info("another run holds the spool lock; nothing to do", ["spool": .string(directory)])
                run.succeeded = true
                return .ok
            case .finished(let outcomes, let failures):
                print("spool \(directory): \(outcomes.count) loaded, \(failures) failed")
                run.succeeded = failures == 0
                return failures == 0 ? .ok : .dataError
            }
        }
        run.succeeded = true
        return .ok
    } catch {
        Log.error("frames-ingest: \(error)", ["exit_status": .int(Int(error.exitStatus.rawValue))])
        return error.exitStatus
    }
}
