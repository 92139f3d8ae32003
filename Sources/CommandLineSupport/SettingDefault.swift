import ArgumentParser

/// What a setting is when neither its option nor its variable is given: a value, or one worked out from
/// other settings (the stream cap from the pool size).
public struct SettingDefault<Value> {
    /// How `--help` and the docs state it; nil when the default is to go without.
    let description: String?
    let value: (SettingValues) throws(ValidationError) -> Value

    public static func value(_ value: Value, shown description: String? = nil) -> Self {
        Self(description: description ?? "\(value)", value: { _ in value })
    }

    /// Nothing: the setting's absence means "none" (an optional value left nil).
    public static func none<Wrapped>() -> Self where Value == Wrapped? {
        Self(description: nil, value: { _ in nil })
    }

    /// Nothing for the setting itself, while `description` says what the absence means downstream.
    public static func none<Wrapped>(meaning description: String) -> Self where Value == Wrapped? {
        Self(description: description, value: { _ in nil })
    }

    public static func derived(_ description: String,
                               from derive: @escaping (SettingValues) throws(ValidationError) -> Value) -> Self {
        Self(description: description, value: derive)
    }
}
