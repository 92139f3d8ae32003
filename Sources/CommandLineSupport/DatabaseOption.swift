import ArgumentParser

/// `--database`, which every binary takes, falling back to `FRAMES_DATABASE_URL` as the units set it.
public typealias DatabaseOption = SettingOptions<DatabaseSettings>

/// The settings of a command that needs nothing but the database (frames-admin's subcommands).
public struct DatabaseSettings: SettingTable {
    public let database = Setting<String?>.database

    public init() {}
}

extension DatabaseOption {
    /// The option, else the variable; nil when neither is set to something.
    public func conninfo(environment: [String: String]) throws(ValidationError) -> String? {
        try values(environment: environment).value(of: DatabaseSettings().database)
    }
}
