/// The settings of a command: a struct whose stored properties are its `Setting`s, so that declaring a
/// property is all it takes to add an option, a variable and their documentation.
public protocol SettingTable {
    init()
}

extension SettingTable {
    /// Every setting of the table, in the order it declares them (read from its stored properties, so
    /// that no second list can forget one).
    public var declarations: [any SettingDescription] {
        Mirror(reflecting: self).children.compactMap { $0.value as? any SettingDescription }
    }
}
