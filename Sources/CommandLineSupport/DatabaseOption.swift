import ArgumentParser

/// `--database`, which every binary takes, falling back to `FRAMES_DATABASE_URL` as the units set it.
public typealias DatabaseOption = SettingOptions<DatabaseSettings>

/// The settings of a command that needs nothing but the database (frames-admin's subcommands).
public struct DatabaseSettings: SettingTable {
    public let database = Setting<String?>.database

    public init() {}
}

extension Setting<String?> {
    /// The database every binary reads, declared once for the three.
    public static var database: Setting<String?> {
        Setting(flag: "database", variable: "FRAMES_DATABASE_URL", valueName: "conninfo",
                summary: "libpq conninfo or URI.", default: .none(), parser: .nonEmptyText,
                installed: "\"host=/var/run/postgresql dbname=frames user=frames\"",
                details: """
                    PostgreSQL, as a libpq conninfo string or URI. Several hosts may be listed; libpq tries them in \
                    order, target_session_attrs picks the primary (read-write) or any server. Examples: \
                    FRAMES_DATABASE_URL=postgresql://frames@db1.example.org,db2.example.org/frames?target_session_attrs=read-write \
                    or FRAMES_DATABASE_URL="host=/var/run/postgresql dbname=frames user=frames". A password is better \
                    kept in a libpq password file than here: the frames user has no home, so name it, e.g. \
                    PGPASSFILE=/etc/frames/pgpass (owner frames, mode 0600; libpq reads PGPASSFILE from here).
                    """)
    }
}

extension DatabaseOption {
    /// The option, else the variable; nil when neither is set to something.
    public func conninfo(environment: [String: String]) throws(ValidationError) -> String? {
        try values(environment: environment).value(of: DatabaseSettings().database)
    }
}
