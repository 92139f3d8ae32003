import FramesCore
import FrameStore

/// How `frames-admin datasets` prints entries: aligned columns or key/value lines for people, JSON for
/// scripts (the API's dataset fields plus source_file and ingested_at).
enum DatasetListing {
    static func table(_ entries: [DatasetCatalog.Entry]) -> String {
        guard !entries.isEmpty else { return "" }
        let header = ["NAME", "FRAMES", "DEPTH_MIN", "DEPTH_MAX", "WIDTH", "GENERATION", "INGESTED_AT"]
        let rows = entries.map { entry in
            [entry.info.name, String(entry.info.frameCount), String(entry.info.depthMin), String(entry.info.depthMax),
             "\(entry.info.originalWidth)->\(entry.info.resizedWidth)", String(entry.info.generation), entry.ingestedAt]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        return ([header] + rows).map { cells in
            cells.enumerated().map { column, cell in
                column == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - cell.count + 2)
            }.joined() + "\n"
        }.joined()
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
        var out: [UInt8] = [UInt8(ascii: "[")]
        for (index, entry) in entries.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            append(entry, to: &out)
        }
        out.append(contentsOf: "]\n".utf8)
        return String(decoding: out, as: UTF8.self)
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
