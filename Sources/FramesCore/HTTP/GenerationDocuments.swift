/// JSON for versions, shared by `frames-admin datasets history/diff --json` and the HTTP endpoints:
/// the generations of a dataset, and the depths that changed between two.
public enum GenerationDocuments {
    /// The generations as given (newest first, by convention), as a JSON array.
    public static func generations(_ records: [GenerationRecord]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "[")]
        for (index, record) in records.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            append(record, to: &out)
        }
        out.append(UInt8(ascii: "]"))
        return out
    }

    private static func append(_ record: GenerationRecord, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        ServiceDocuments.appendFields(of: record.dataset, to: &out)
        JSONWriter.appendRaw(#","created_at":"#, to: &out)
        JSONWriter.appendString(record.createdAt, to: &out)
        JSONWriter.appendRaw(#","command":"#, to: &out)
        JSONWriter.appendString(record.command, to: &out)
        JSONWriter.appendRaw(#","source_file":"#, to: &out)
        appendOptional(record.sourceFile, to: &out)
        JSONWriter.appendRaw(#","source_sha256":"#, to: &out)
        appendOptional(record.sourceSHA256, to: &out)
        JSONWriter.appendRaw(#","note":"#, to: &out)
        appendOptional(record.note, to: &out)
        JSONWriter.appendRaw(#","host":"#, to: &out)
        appendOptional(record.host, to: &out)
        JSONWriter.appendRaw(#","frames_added":"#, to: &out)
        JSONWriter.appendNumber(record.counts.added, to: &out)
        JSONWriter.appendRaw(#","frames_changed":"#, to: &out)
        JSONWriter.appendNumber(record.counts.changed, to: &out)
        JSONWriter.appendRaw(#","frames_removed":"#, to: &out)
        JSONWriter.appendNumber(record.counts.removed, to: &out)
        JSONWriter.appendRaw(#","pruned":"#, to: &out)
        if record.pruned { JSONWriter.appendRaw("true", to: &out) } else { JSONWriter.appendRaw("false", to: &out) }
        out.append(UInt8(ascii: "}"))
    }

    /// One change as an NDJSON line: `{"depth":9000.1,"change":"changed"}` and a newline.
    public static func appendLine(_ change: DepthChange, to out: inout [UInt8]) {
        JSONWriter.appendRaw(#"{"depth":"#, to: &out)
        JSONWriter.appendNumber(change.depth, to: &out)
        JSONWriter.appendRaw(#","change":"#, to: &out)
        JSONWriter.appendString(change.kind.rawValue, to: &out)
        JSONWriter.appendRaw("}\n", to: &out)
    }

    private static func appendOptional(_ value: String?, to out: inout [UInt8]) {
        if let value { JSONWriter.appendString(value, to: &out) } else { JSONWriter.appendRaw("null", to: &out) }
    }
}
