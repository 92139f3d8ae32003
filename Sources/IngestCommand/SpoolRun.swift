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
    var keepGenerations: Int?

    enum Result {
        case lockedByAnotherRun
        case finished([IngestOutcome], failures: Int)
    }

    func run(connect: () throws(IngestError) -> any SQLConnection,
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
        var failures = 0
        // Left in incoming/ on a transient failure: the next timer run tries again.
        let outcomes = try IngestLoop(connection: try connect()).run(names.map { name in
            FileIngest(path: incoming + "/" + name, dataset: IngestOptions.datasetName(forFile: name), width: width,
                       skipBadRows: skipBadRows, keepGenerations: keepGenerations, progress: nil)
        }, metrics: &metrics, loaded: { ingest throws(IngestError) in
            try move(ingest.path, to: done + "/" + Self.name(of: ingest))
        }, rejected: { ingest, error throws(IngestError) in
            failures += 1
            Log.error("ingest failed", ["file": .string(ingest.path), "error": .string(error.description)])
            let target = failed + "/" + Self.name(of: ingest)
            try move(ingest.path, to: target)
            try? AtomicFile.write(Array((error.description + "\n").utf8), to: target + ".error")
        })
        return .finished(outcomes, failures: failures)
    }

    private static func name(of ingest: FileIngest) -> String {
        String(ingest.path.split(separator: "/").last ?? "")
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
