import FramesCore

/// How `frames-admin datasets history` and `diff` print: aligned columns or lines for people, the
/// API's JSON for scripts.
enum GenerationListing {
    static func table(_ records: [GenerationRecord]) -> String {
        let header = ["GENERATION", "CREATED_AT", "COMMAND", "ADDED", "CHANGED", "REMOVED", "FRAMES", "HOST", "SOURCE"]
        let rows = records.map { record in
            [String(record.generation) + (record.pruned ? " (pruned)" : ""), record.createdAt, record.command,
             String(record.counts.added), String(record.counts.changed), String(record.counts.removed),
             String(record.dataset.frameCount), record.host ?? "-", source(record)]
        }
        return ColumnTable.render(header: header, rows: rows)
    }

    /// The file and its digest, or what the command did when no file was involved.
    private static func source(_ record: GenerationRecord) -> String {
        guard let file = record.sourceFile else { return record.note ?? "-" }
        return file + (record.sourceSHA256.map { " sha256:" + $0 } ?? "")
    }

    static func json(_ records: [GenerationRecord]) -> String {
        String(decoding: GenerationDocuments.generations(records), as: UTF8.self) + "\n"
    }

    /// One line per depth: `+ 9000.1` added, `~ 9000.2` changed, `- 9000.3` removed.
    static func lines(_ changes: [DepthChange]) -> String {
        changes.map { change in
            switch change.kind {
            case .added: return "+ \(change.depth)\n"
            case .changed: return "~ \(change.depth)\n"
            case .removed: return "- \(change.depth)\n"
            }
        }.joined()
    }

    /// NDJSON: one object per depth, as the API's /changes sends it.
    static func ndjson(_ changes: [DepthChange]) -> String {
        var out: [UInt8] = []
        for change in changes { GenerationDocuments.appendLine(change, to: &out) }
        return String(decoding: out, as: UTF8.self)
    }
}
