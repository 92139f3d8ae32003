import ArgumentParser

/// `--database`, which every binary takes, falling back to `FRAMES_DATABASE_URL` as the units set it.
public typealias DatabaseOption = SettingOptions<DatabaseSettings>

/// The settings of a command that needs nothing but the database (frames-admin's subcommands).
public struct DatabaseSettings: SettingTable {
    public let database = Setting<String?>.database

    public init() {}
}

extension SettingValues {
    /// The conninfo from `--database`, else `FRAMES_DATABASE_URL`; a usage error when neither says one.
    public func database() throws(ValidationError) -> String {
        guard let conninfo = try value(of: Setting<String?>.database) else {
            throw ValidationError("no database: pass --database or set FRAMES_DATABASE_URL")
        }
        return conninfo
    }
}
