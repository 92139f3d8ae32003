extension SettingParser where Value == String? {
    /// A text that `isValid` accepts; the empty text (an empty line of frames.env) is no value, as for `nonEmptyText`.
    public static func optionalText(expecting expectation: String, where isValid: @escaping (String) -> Bool) -> Self {
        Self(expecting: expectation, orNil: { text in
            if text.isEmpty { return .some(nil) }
            return isValid(text) ? .some(text) : nil
        })
    }
}
