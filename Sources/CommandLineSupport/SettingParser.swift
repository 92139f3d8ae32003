/// How the text of an option or variable becomes a setting's value, and what to say when it cannot.
public struct SettingParser<Value> {
    /// What the text must be, for the message that refuses another: "a whole number of seconds".
    let expectation: String
    let read: (String) throws(SettingRefusal) -> Value

    public init(expecting expectation: String, read: @escaping (String) throws(SettingRefusal) -> Value) {
        self.expectation = expectation
        self.read = read
    }

    /// A parser that refuses the text when `read` gives nil, without more to say.
    public init(expecting expectation: String, orNil read: @escaping (String) -> Value?) {
        self.init(expecting: expectation) { (text: String) throws(SettingRefusal) -> Value in
            guard let value = read(text) else { throw SettingRefusal(reason: nil) }
            return value
        }
    }
}

/// A text that a setting's parser refused, with its reason when there is more to say than the expectation.
public struct SettingRefusal: Error {
    public let reason: String?

    public init(reason: String?) {
        self.reason = reason
    }
}

extension SettingParser where Value == Int {
    public static func wholeNumber(of unit: String = "") -> Self {
        Self(expecting: unit.isEmpty ? "a whole number" : "a whole number of \(unit)",
             orNil: { text in Int(text).flatMap { $0 >= 0 ? $0 : nil } })
    }
}

extension SettingParser where Value == Int? {
    /// A whole number from `minimum`; the empty text (an empty line of frames.env) is no value.
    public static func wholeNumber(from minimum: Int, expecting expectation: String) -> Self {
        Self(expecting: expectation, orNil: { text in
            if text.isEmpty { return .some(nil) }
            guard let number = Int(text), number >= minimum else { return nil }
            return .some(number)
        })
    }
}

extension SettingParser where Value == Int32 {
    public static var zlibLevel: Self {
        Self(expecting: "a zlib level 0–9", orNil: { text in Int32(text).flatMap { (0...9).contains($0) ? $0 : nil } })
    }
}

extension SettingParser where Value == Double {
    public static func rate(expecting expectation: String) -> Self {
        Self(expecting: expectation, orNil: { text in Double(text).flatMap { $0 >= 0 && $0.isFinite ? $0 : nil } })
    }
}

extension SettingParser where Value == Bool {
    /// One of two words: `yes` reads as true, `no` as false.
    public static func choice(yes: String, no: String) -> Self {
        Self(expecting: "`\(yes)` or `\(no)`", orNil: { text in text == yes ? true : text == no ? false : nil })
    }
}

extension SettingParser where Value == String? {
    /// Any text, kept as it is: a folder.
    public static var text: Self { Self(expecting: "text", orNil: { text in .some(text) }) }
    /// Any text; the empty one is no value.
    public static var nonEmptyText: Self { Self(expecting: "text", orNil: { text in .some(text.isEmpty ? nil : text) }) }
}
