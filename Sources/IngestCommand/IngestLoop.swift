import PostgresClient
import ProcessSupport

/// The files of one run, ingested one after another on one connection, for the command line's files and
/// for the spool alike: each loaded file is summarized and tallied, and every file counts in the run's
/// metrics as done, failed or left to retry.
struct IngestLoop {
    var connection: any SQLConnection

    /// A transient failure (the database unavailable, out of disk) ends the run: the same file may load
    /// later. Any other failure goes to `rejected`, which ends the run by throwing or lets it go on.
    /// `loaded` runs after a file's commit; what it throws counts the file as failed.
    func run(_ ingests: [FileIngest], metrics: inout IngestMetrics.Run,
             loaded: (FileIngest) throws(IngestError) -> Void = { _ in },
             rejected: (FileIngest, IngestError) throws(IngestError) -> Void) throws(IngestError) -> [IngestOutcome] {
        var outcomes: [IngestOutcome] = []
        for ingest in ingests {
            do {
                let outcome = try ingest.run(on: connection)
                try loaded(ingest)
                outcomes.append(outcome)
                summarize(outcome)
                tally(&metrics, outcome)
                metrics.files[.done, default: 0] += 1
            } catch where error.exitStatus == .temporaryFailure {
                metrics.files[.retry, default: 0] += 1
                throw error
            } catch {
                metrics.files[.failed, default: 0] += 1
                try rejected(ingest, error)
            }
        }
        return outcomes
    }

    private func summarize(_ outcome: IngestOutcome) {
        let line = "\(outcome.file): loaded \(outcome.rowsLoaded) rows into dataset \(outcome.dataset.name) "
            + "(skipped \(outcome.emptyRowsSkipped) empty, \(outcome.badRowsSkipped) bad) in "
            + String((outcome.seconds * 1000).rounded() / 1000) + " s; generation \(outcome.dataset.generation): "
            + "\(outcome.counts.added) added, \(outcome.counts.changed) changed, \(outcome.counts.removed) removed"
        print(line)
        guard !StandardError.isTerminal else { return }
        Log.info("ingested", ["file": .string(outcome.file), "dataset": .string(outcome.dataset.name),
                              "rows_loaded": .int(outcome.rowsLoaded), "rows_skipped_empty": .int(outcome.emptyRowsSkipped),
                              "rows_skipped_bad": .int(outcome.badRowsSkipped), "seconds": .double(outcome.seconds),
                              "generation": .int(Int(outcome.dataset.generation)),
                              "frames_added": .int(outcome.counts.added), "frames_changed": .int(outcome.counts.changed),
                              "frames_removed": .int(outcome.counts.removed)])
    }

    private func tally(_ run: inout IngestMetrics.Run, _ outcome: IngestOutcome) {
        run.rowsLoaded += outcome.rowsLoaded
        run.emptyRowsSkipped += outcome.emptyRowsSkipped
        run.badRowsSkipped += outcome.badRowsSkipped
    }
}
