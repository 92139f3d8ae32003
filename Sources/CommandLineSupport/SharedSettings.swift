/// The settings that more than one binary reads, declared once for all of them.
extension Setting<String?> {
    /// The database, which every binary reads.
    public static var database: Setting<String?> {
        Setting(flag: "database", variable: "FRAMES_DATABASE_URL", valueName: "conninfo",
                summary: "libpq conninfo or URI.", default: .none(), parser: .nonEmptyText,
                installed: "\"host=/var/run/postgresql dbname=frames user=frames\"",
                details: """
                    Several hosts may be listed; libpq tries them in order, and target_session_attrs picks the \
                    primary (read-write) or any server, as in \
                    postgresql://frames@db1.example.org,db2.example.org/frames?target_session_attrs=read-write. A \
                    password is better kept in a libpq password file than here: the frames user has no home, so name \
                    it, e.g. PGPASSFILE=/etc/frames/pgpass (owner frames, mode 0600; libpq reads PGPASSFILE from here).
                    """)
    }
}

extension Setting<String?> {
    /// The textfile collector's folder, where frames-fcgi and frames-ingest each write their own file.
    public static func metricsDirectory(writing file: String) -> Setting<String?> {
        Setting(flag: "metrics-dir", variable: "FRAMES_METRICS_DIR", valueName: "dir",
                summary: "Write \(file) there.", default: .none(), parser: .text,
                installed: "/var/lib/prometheus/node-exporter",
                details: """
                    node_exporter's textfile collector folder, where the pool and frames-ingest each write their \
                    own file. Unset (comment it out): no metrics. Both services give the frames user write access to \
                    it when they start (setfacl, from the acl package). Another folder also needs ReadWritePaths= in \
                    both services (systemctl edit).
                    """)
    }
}
