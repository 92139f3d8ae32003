import ArgumentParser

/// The settings of one run: each from its option, else its variable, else its default. A bad value is
/// refused under the name the user gave it (`--png-level` or `FRAMES_PNG_LEVEL`).
public struct SettingValues {
    /// The text of each option given, by flag.
    let given: [String: String]
    let environment: [String: String]

    public func value<Value>(of setting: Setting<Value>) throws(ValidationError) -> Value {
        let text: String, source: String
        if let flag = setting.flag, let option = given[flag] {
            (text, source) = (option, "--" + flag)
        } else if let variable = environment[setting.variable] {
            (text, source) = (variable, setting.variable)
        } else {
            return try setting.defaultValue.value(self)
        }
        do throws(SettingRefusal) {
            return try setting.parser.read(text)
        } catch {
            let reason = error.reason.map { ": \($0)" } ?? ""
            throw ValidationError("\(source) takes \(setting.parser.expectation), not `\(text)`\(reason)")
        }
    }
}
