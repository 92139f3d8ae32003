import ArgumentParser
import FrameStore

/// `frames-admin roles sql`: the database roles' SQL, for a sysadmin to read and run as a superuser.
struct RolesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roles",
        abstract: "The database roles that the service runs under.",
        subcommands: [SQL.self])

    struct SQL: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sql",
            abstract: "Print the SQL that creates the roles frames_admin, frames_ingest and frames_reader.",
            discussion: """
                Run it as a superuser in the frames database once the schema exists, and again after an \
                upgrade: frames-admin roles sql | sudo -u postgres psql -d frames. It is idempotent.
                """)

        func run() {
            print(DatabaseRoles.sql)
        }
    }
}
