import ArgumentParser
import CommandLineSupport
import FrameStore
import PostgresClient
import ProcessSupport

extension DatabaseOption {
    /// A connection to a schema at the latest version, which the catalog's and key store's statements expect.
    func migratedConnection(for command: ParsableCommand.Type) throws(ExitCode) -> PostgresConnection {
        let given: String?
        do throws(ValidationError) {
            given = try conninfo(environment: Environment.variables)
        } catch {
            throw usageError(error.message, in: command)
        }
        guard let conninfo = given else {
            throw usageError("no database: pass --database or set FRAMES_DATABASE_URL", in: command)
        }
        return try reportingFailure { () throws(PostgresError) in
            let connection = try PostgresConnection(conninfo: conninfo)
            try SchemaMigrations.apply(on: connection)
            return connection
        }
    }

    func catalog(for command: ParsableCommand.Type) throws(ExitCode) -> DatasetCatalog {
        DatasetCatalog(connection: try migratedConnection(for: command))
    }

    func keyStore(for command: ParsableCommand.Type) throws(ExitCode) -> KeyStore {
        KeyStore(connection: try migratedConnection(for: command))
    }
}
