import ArgumentParser
import FramesCore

/// `--dump-settings`, which no help shows: the command's settings as a JSON array, from which
/// tools/settings_docs.py writes the man pages' ENVIRONMENT sections, docs/settings.md and frames.env.
public struct SettingsDump: ParsableArguments {
    @Flag(name: .customLong("dump-settings"),
          help: ArgumentHelp("Print the settings' declarations as JSON.", visibility: .private))
    var requested = false

    public init() {}

    /// Prints the table's settings when asked; true then, and the command has nothing more to do.
    public func printIfRequested(_ table: some SettingTable) -> Bool {
        guard requested else { return false }
        print(Self.json(table.declarations), terminator: "")
        return true
    }

    static func json(_ settings: [any SettingDescription]) -> String {
        var out: [UInt8] = [UInt8(ascii: "[")]
        for (index, setting) in settings.enumerated() {
            out.append(contentsOf: (index == 0 ? "\n" : ",\n").utf8)
            let fields: [(String, String?)] = [
                ("flag", setting.flag.map { "--" + $0 }), ("variable", setting.variable), ("value_name", setting.valueName),
                ("summary", setting.summary), ("default", setting.defaultDescription), ("installed", setting.installed),
                ("details", setting.details),
            ]
            out.append(UInt8(ascii: "{"))
            for (position, (key, value)) in fields.enumerated() {
                if position > 0 { out.append(contentsOf: ", ".utf8) }
                JSONWriter.appendString(key, to: &out)
                out.append(contentsOf: ": ".utf8)
                if let value { JSONWriter.appendString(value, to: &out) } else { out.append(contentsOf: "null".utf8) }
            }
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: "\n]\n".utf8)
        return String(decoding: out, as: UTF8.self)
    }
}
