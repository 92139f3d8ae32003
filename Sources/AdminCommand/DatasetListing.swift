import FramesCore
import FrameStore

/// How `frames-admin datasets` prints entries: aligned columns or key/value lines for people, JSON for
/// scripts (the API's dataset fields plus source_file and ingested_at).
enum DatasetListing {
    static func table(_ entries: [DatasetCatalog.Entry]) -> String {
        ColumnTable.render(
            header: ["NAME", "FRAMES", "DEPTH_MIN", "DEPTH_MAX", "WIDTH", "GENERATION", "INGESTED_AT"],
            rows: entries.map { entry in
                [entry.info.name, String(entry.info.frameCount), String(entry.info.depthMin), String(entry.info.depthMax),
                 "\(entry.info.originalWidth)->\(entry.info.resizedWidth)", String(entry.info.generation), entry.ingestedAt]
            })
    }

    static func details(_ entry: DatasetCatalog.Entry) -> String {
        let info = entry.info
        let lines = [("name", info.name), ("frames", String(info.frameCount)),
                     ("depth", "\(info.depthMin) to \(info.depthMax)"), ("original width", String(info.originalWidth)),
                     ("resized width", String(info.resizedWidth)), ("generation", String(info.generation)),
                     ("source file", entry.sourceFile ?? "-"), ("ingested at", entry.ingestedAt)]
        return lines.map { key, value in "\(key):" + String(repeating: " ", count: 16 - key.count) + value + "\n" }.joined()
    }

    static func json(_ entries: [DatasetCatalog.Entry]) -> String {
        JSONArrayOutput.render(entries) { entry, out in append(entry, to: &out) }
    }

    static func json(_ entry: DatasetCatalog.Entry) -> String {
        var out: [UInt8] = []
        append(entry, to: &out)
        out.append(UInt8(ascii: "\n"))
        return String(decoding: out, as: UTF8.self)
    }

    private static func append(_ entry: DatasetCatalog.Entry, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        ServiceDocuments.appendFields(of: entry.info, to: &out)
        JSONWriter.appendRaw(#","source_file":"#, to: &out)
        if let source = entry.sourceFile { JSONWriter.appendString(source, to: &out) } else { JSONWriter.appendRaw("null", to: &out) }
        JSONWriter.appendRaw(#","ingested_at":"#, to: &out)
        JSONWriter.appendString(entry.ingestedAt, to: &out)
        out.append(UInt8(ascii: "}"))
    }
}
