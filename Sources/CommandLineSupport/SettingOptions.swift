import ArgumentParser

/// The options of a table of settings, one `--flag <value>` each, as an `@OptionGroup`.
///
/// argument-parser finds a command's options by reflecting on its properties, so this type reflects as if
/// it had one `@Option` property per setting: the options come from the table rather than from a second,
/// hand-written list of properties. Each option is kept as text; `values(environment:)` reads them with
/// the variables, once the command line is known to be well formed.
public struct SettingOptions<Table: SettingTable>: ParsableArguments, CustomReflectable {
    private var given: [String: String] = [:]

    public init() {}

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: FlagKey.self)
        for flag in Self.flags {
            if let text = try container.decode(Option<String?>.self, forKey: FlagKey(stringValue: flag)).wrappedValue {
                given[flag] = text
            }
        }
    }

    public var customMirror: Mirror {
        let options = Table().declarations.compactMap { setting -> Mirror.Child? in
            setting.flag.map { flag in
                (label: flag, value: Option<String?>(name: .customLong(flag), help: setting.argumentHelp))
            }
        }
        return Mirror(self, children: options, displayStyle: .struct)
    }

    public func values(environment: [String: String]) -> SettingValues {
        SettingValues(given: given, environment: environment)
    }

    private static var flags: [String] { Table().declarations.compactMap(\.flag) }

    private struct FlagKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }

        init(stringValue: String) {
            self.stringValue = stringValue
        }

        init?(intValue: Int) {
            nil
        }
    }
}
