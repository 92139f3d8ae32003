import ArgumentParser
import FrameStore
import PostgresClient
import ProcessSupport

/// `--database`, shared by every subcommand that reaches PostgreSQL.
struct DatabaseOptions: ParsableArguments {
    @Option(help: ArgumentHelp("libpq conninfo or URI. Default: $FRAMES_DATABASE_URL.", valueName: "conninfo"))
    var database: String?

    /// A connection to a schema at the latest version, which the catalog's statements expect.
    func catalog(for command: ParsableCommand.Type) throws(ExitCode) -> DatasetCatalog {
        guard let conninfo = database ?? Environment.variables["FRAMES_DATABASE_URL"] else {
            throw usageError("no database: pass --database or set FRAMES_DATABASE_URL", in: command)
        }
        return try reportingFailure { () throws(DatasetCatalog.Failure) in
            do throws(PostgresError) {
                let connection = try PostgresConnection(conninfo: conninfo)
                try SchemaMigrations.apply(on: connection)
                return DatasetCatalog(connection: connection)
            } catch {
                throw .database(error)
            }
        }
    }
}
