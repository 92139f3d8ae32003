import FramesCore
import FrameStore

/// How `frames-admin keys list` prints keys: columns for people, JSON for scripts. Neither has a token
/// or a hash in it: the store's entries carry neither.
enum KeyListing {
    static func table(_ entries: [KeyStore.Entry]) -> String {
        ColumnTable.render(
            header: ["NAME", "KEY_ID", "DATASETS", "RATE", "BURST", "CREATED", "EXPIRES", "REVOKED", "LAST_USED"],
            rows: entries.map { entry in
                [entry.name, entry.keyID, entry.datasets?.joined(separator: ",") ?? "all",
                 entry.rate.map { String($0) } ?? "default", entry.burst.map { String($0) } ?? "default",
                 entry.createdAt, entry.expiresAt ?? "never", entry.revokedAt ?? "-", entry.lastUsedAt ?? "never"]
            })
    }

    static func json(_ entries: [KeyStore.Entry]) -> String {
        JSONArrayOutput.render(entries) { entry, out in append(entry, to: &out) }
    }

    private static func append(_ entry: KeyStore.Entry, to out: inout [UInt8]) {
        JSONWriter.appendRaw(#"{"name":"#, to: &out)
        JSONWriter.appendString(entry.name, to: &out)
        JSONWriter.appendRaw(#","key_id":"#, to: &out)
        JSONWriter.appendString(entry.keyID, to: &out)
        JSONWriter.appendRaw(#","datasets":"#, to: &out)
        if let datasets = entry.datasets {
            out.append(UInt8(ascii: "["))
            for (index, name) in datasets.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JSONWriter.appendString(name, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        } else {
            JSONWriter.appendRaw("null", to: &out)
        }
        JSONWriter.appendRaw(#","rate":"#, to: &out)
        if let rate = entry.rate { JSONWriter.appendNumber(rate, to: &out) } else { JSONWriter.appendRaw("null", to: &out) }
        JSONWriter.appendRaw(#","burst":"#, to: &out)
        if let burst = entry.burst { JSONWriter.appendNumber(burst, to: &out) } else { JSONWriter.appendRaw("null", to: &out) }
        let times: [(StaticString, String?)] = [
            (#","created_at":"#, entry.createdAt), (#","expires_at":"#, entry.expiresAt),
            (#","revoked_at":"#, entry.revokedAt), (#","last_used_at":"#, entry.lastUsedAt),
            (#","previous_valid_until":"#, entry.previousValidUntil),
        ]
        for (key, value) in times {
            JSONWriter.appendRaw(key, to: &out)
            if let value { JSONWriter.appendString(value, to: &out) } else { JSONWriter.appendRaw("null", to: &out) }
        }
        out.append(UInt8(ascii: "}"))
    }
}
