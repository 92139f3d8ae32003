import FramesCore
import PostgresClient

/// The catalog's version commands: a generation's history and differences, a depth range removed,
/// a generation restored, old generations pruned.
extension DatasetCatalog {
    /// The dataset's generations with their provenance, newest first.
    public func history(of name: String) throws(Failure) -> [GenerationRecord] {
        try reading { () throws(GenerationReader.Failure) in try GenerationReader.records(of: name, on: connection) }
    }

    /// The depths added, changed and removed from generation `from` to generation `to`.
    public func changes(of name: String, from: Int64, to: Int64) throws(Failure) -> [DepthChange] {
        let reader = try database { () throws(PostgresError) in try GenerationReader(connection: connection) }
        return try reading { () throws(GenerationReader.Failure) in try reader.changes(of: name, from: from, to: to) }
    }

    /// Hands over the frames of a depth range as of `generation` (the current one when nil), in depth
    /// order, as the API reads them.
    public func frames(of name: String, asOf generation: Int64?, range: DepthRange,
                       _ each: (StoredFrame) -> Void) throws(Failure) {
        let reader = try database { () throws(PostgresError) in try GenerationReader(connection: connection) }
        var chosen = generation ?? 0
        if generation == nil { chosen = try entry(named: name).info.generation }
        try reading { () throws(GenerationReader.Failure) in
            try reader.streamFrames(dataset: name, asOf: chosen, span: range.lower...range.upper, limit: nil, each)
        }
    }

    /// Removes the frames between two depths, inclusive, as a new generation; nil when there are none
    /// (nothing changes then). Refuses to remove every frame.
    public func deleteFrames(of name: String, depthsFrom low: Double, to high: Double) throws(Failure) -> GenerationRecord? {
        try transaction(locking: [name]) { () throws(Failure) in
            let before = try entry(named: name)
            let ledger = try newLedger(for: name)
            let removed = try database { () throws(PostgresError) in try ledger.remove(depthsFrom: low, to: high) }
            guard removed > 0 else { return nil }
            guard removed < before.info.frameCount else { throw .wouldEmpty(dataset: name) }
            return try publish(ledger, GenerationOrigin(command: "delete-range", note: "depths \(low) to \(high)"),
                               counts: FrameChangeCounts(removed: removed), widths: before.info)
        }
    }

    /// Makes a new generation whose frames are those of `generation`. The rows of the generations in
    /// between stay in the history, so the rollback can itself be rolled back.
    public func rollback(_ name: String, to generation: Int64) throws(Failure) -> GenerationRecord {
        try transaction(locking: [name]) { () throws(Failure) in
            _ = try entry(named: name)
            let target = try reading { () throws(GenerationReader.Failure) in
                try GenerationReader.readableRecord(generation, of: name, on: connection)
            }
            let ledger = try newLedger(for: name)
            let counts = try database { () throws(PostgresError) in
                try connection.execute("CREATE TEMPORARY TABLE restored_frames (LIKE frames) ON COMMIT DROP")
                let columns = "dataset, \(FrameHistory.contentColumns), generation_from"
                _ = try connection.query("""
                    INSERT INTO restored_frames (\(columns)) \(FrameHistory.rowsAsOf(columns))
                    """, [name, String(generation)])
                return try ledger.replace(with: "restored_frames", wholeDataset: true)
            }
            return try publish(ledger, GenerationOrigin(command: "rollback", note: "to generation \(generation)"),
                               counts: counts, widths: target.dataset)
        }
    }

    /// Keeps the `keep` newest readable generations and drops the history rows only older ones use.
    public func prune(_ name: String, keep: Int) throws(Failure) -> (generations: Int, rows: Int) {
        try transaction(locking: [name]) { () throws(Failure) in
            _ = try entry(named: name)
            return try database { () throws(PostgresError) in try GenerationLedger.prune(name, keep: keep, on: connection) }
        }
    }

    /// A ledger for the dataset's next generation.
    func newLedger(for name: String) throws(Failure) -> GenerationLedger {
        let generation = try database { () throws(PostgresError) in try GenerationLedger.nextGeneration(on: connection) }
        return GenerationLedger(connection: connection, dataset: name, generation: generation)
    }

    /// Records the ledger's generation with `origin` and `counts`, keeping the dataset's widths.
    func publish(_ ledger: GenerationLedger, _ origin: GenerationOrigin, counts: FrameChangeCounts,
                 widths: DatasetInfo) throws(Failure) -> GenerationRecord {
        _ = try database { () throws(PostgresError) in
            try ledger.publish(origin, counts: counts, originalWidth: widths.originalWidth, resizedWidth: widths.resizedWidth)
        }
        return try reading { () throws(GenerationReader.Failure) in
            try GenerationReader.readableRecord(ledger.generation, of: ledger.dataset, on: connection)
        }
    }

    /// The reader's failures as the catalog's.
    private func reading<T>(_ body: () throws(GenerationReader.Failure) -> T) throws(Failure) -> T {
        do {
            return try body()
        } catch {
            switch error {
            case .noSuchDataset(let name): throw .noSuchDataset(name)
            case .noSuchGeneration(let unreadable): throw .noSuchGeneration(unreadable)
            case .database(let error): throw .database(error)
            }
        }
    }
}
