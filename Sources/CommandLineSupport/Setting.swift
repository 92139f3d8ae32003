import ArgumentParser

/// One setting, declared once: its option, its variable, its default, how its text is read and what it is
/// for. The option and its `--help`, the variable fallback, the refusal of a bad value, the man pages'
/// ENVIRONMENT sections, docs/settings.md and frames.env all come from this declaration (the last three
/// through `--dump-settings` and tools/settings_docs.py).
public struct Setting<Value> {
    /// The long option without its dashes; nil for a variable that only the environment sets.
    public let flag: String?
    public let variable: String
    /// What `--help` calls the option's value: `--png-level <level>`.
    public let valueName: String
    /// What the setting does, in a sentence or two, for `--help` and the docs table.
    public let summary: String
    public let defaultValue: SettingDefault<Value>
    let parser: SettingParser<Value>
    /// The value the installed frames.env gives; nil leaves the variable out of that file.
    public let installed: String?
    /// What an administrator should know beyond the summary: frames.env's comment, the docs' notes.
    public let details: String

    public init(flag: String?, variable: String, valueName: String, summary: String,
                default defaultValue: SettingDefault<Value>, parser: SettingParser<Value>,
                installed: String?, details: String) {
        self.flag = flag
        self.variable = variable
        self.valueName = valueName
        self.summary = summary
        self.defaultValue = defaultValue
        self.parser = parser
        self.installed = installed
        self.details = details
    }
}

/// A setting without its value type, as the option list and the documentation see it.
public protocol SettingDescription {
    var flag: String? { get }
    var variable: String { get }
    var valueName: String { get }
    var summary: String { get }
    /// nil when an unset setting is simply absent (no colormap folder, no metrics).
    var defaultDescription: String? { get }
    var installed: String? { get }
    var details: String { get }
}

extension Setting: SettingDescription {
    public var defaultDescription: String? { defaultValue.description }
}

extension SettingDescription {
    /// The `--help` of the option: the summary, then where its default comes from.
    var argumentHelp: ArgumentHelp {
        let fallback = defaultDescription.map { ", else \($0)" } ?? ""
        return ArgumentHelp("\(summary) Default: $\(variable)\(fallback).", valueName: valueName)
    }
}
