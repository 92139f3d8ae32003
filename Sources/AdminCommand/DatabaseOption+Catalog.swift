import ArgumentParser
import CommandLineSupport
import FrameStore
import PostgresClient
import ProcessSupport

extension DatabaseOption {
    /// A connection to a schema at the latest version, which the catalog's statements expect.
    func catalog(for command: ParsableCommand.Type) throws(ExitCode) -> DatasetCatalog {
        guard let conninfo = conninfo(environment: Environment.variables) else {
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
