import Glibc
import PostgresClient
import ProcessSupport

/// One timer-driven pass over a spool folder: `incoming/*.csv` are ingested in name order and moved to
/// `done/` or `failed/` (with a `.error` file saying why). Files being written under another name
/// (`*.part`, dotfiles) are left alone. A lock keeps two runs from ever overlapping.
struct SpoolRun {
    var directory: String
    var width: Int
    var skipBadRows: Bool

    enum Result {
        case lockedByAnotherRun
        case finished([IngestOutcome], failures: Int)
    }

    func run(connect: () throws(IngestError) -> PostgresConnection,
             record: (inout IngestMetrics.Run, IngestOutcome) -> Void,
             metrics: inout IngestMetrics.Run) throws(IngestError) -> Result {
        let incoming = directory + "/incoming", done = directory + "/done", failed = directory + "/failed"
        for folder in [incoming, done, failed] {
            do {
                try Directory.create(folder)
            } catch {
                throw .noInput(path: error.path, reason: "cannot create the spool folder: \(error)")
            }
        }
        let lock: LockFile
        do {
            guard let held = try LockFile.acquire(directory + "/.lock", waiting: false) else { return .lockedByAnotherRun }
            lock = held
        } catch {
            throw .noInput(path: directory, reason: String(cString: strerror(error.errno)))
        }
        defer { lock.release() }

        let names = ((try? Directory.names(in: incoming)) ?? [])
            .filter { $0.hasSuffix(".csv") && !$0.hasPrefix(".") }
            .sorted()
        guard !names.isEmpty else { return .finished([], failures: 0) }
        let connection = try connect()
        var outcomes: [IngestOutcome] = []
        var failures = 0
        for name in names {
            let path = incoming + "/" + name
            let ingest = FileIngest(path: path, dataset: IngestOptions.datasetName(forFile: name), width: width,
                                    skipBadRows: skipBadRows, progress: nil)
            do {
                let outcome = try ingest.run(on: connection)
                try move(path, to: done + "/" + name)
                outcomes.append(outcome)
                record(&metrics, outcome)
                metrics.files[.done, default: 0] += 1
            } catch where error.exitStatus == .temporaryFailure {
                // Left in incoming/: the next timer run tries again.
                metrics.files[.retry, default: 0] += 1
                throw error
            } catch {
                failures += 1
                metrics.files[.failed, default: 0] += 1
                Log.error("ingest failed", ["file": .string(path), "error": .string(error.description)])
                let target = failed + "/" + name
                try move(path, to: target)
                try? AtomicFile.write(Array((error.description + "\n").utf8), to: target + ".error")
            }
        }
        return .finished(outcomes, failures: failures)
    }

    /// Moves within the spool; a name already taken (the same file delivered twice) gets a suffix.
    private func move(_ source: String, to target: String) throws(IngestError) {
        var destination = target
        var attempt = 1
        while Directory.entryExists(destination) {
            attempt += 1
            destination = target + ".\(attempt)"
        }
        guard rename(source, destination) == 0 else {
            throw .io("cannot move \(source) to \(destination): \(String(cString: strerror(errno)))")
        }
    }
}
