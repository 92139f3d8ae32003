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
            let loop = IngestLoop(connection: try connect(options.database!))
            _ = try loop.run(paths.map { path in
                FileIngest(path: path, dataset: options.dataset ?? IngestOptions.datasetName(forFile: path),
                           width: options.width, skipBadRows: options.skipBadRows, merge: options.merge,
                           keepGenerations: options.keepGenerations,
                           progress: ProgressReporter(label: IngestOptions.datasetName(forFile: path)))
            }, metrics: &run, rejected: { _, error throws(IngestError) in throw error })
        case .spool(let directory):
            let spool = SpoolRun(directory: directory, width: options.width, skipBadRows: options.skipBadRows,
                                 keepGenerations: options.keepGenerations)
            switch try spool.run(connect: { () throws(IngestError) in try connect(options.database!) }, metrics: &run) {
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
