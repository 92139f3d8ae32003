import FramesCore

/// A key set the test edits in place, counting how often the verifier reads it.
final class KeySetDocument: @unchecked Sendable {
    var json: String
    var reads = 0
    var changed = true

    init(keys: [String]) { json = Self.set(keys) }

    func replace(keys: [String]) {
        json = Self.set(keys)
        changed = true
    }

    static func set(_ keys: [String]) -> String { #"{"keys":[\#(keys.joined(separator: ","))]}"# }
}

struct FakeKeySetSource: KeySetSource {
    let document: KeySetDocument

    mutating func read(force: Bool) throws(KeySetLoadError) -> [UInt8]? {
        guard force || document.changed else { return nil }
        document.reads += 1
        document.changed = false
        return Array(document.json.utf8)
    }
}
