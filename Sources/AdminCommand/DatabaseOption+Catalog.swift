import ArgumentParser
import CommandLineSupport
import FrameStore
import PostgresClient
import ProcessSupport

extension DatabaseOption {
    /// A connection to a schema at the latest version, which the catalog's and key store's statements expect.
    func migratedConnection(for command: ParsableCommand.Type) throws(ExitCode) -> PostgresConnection {
        let conninfo: String
        do throws(ValidationError) {
            conninfo = try values(environment: Environment.variables).database()
        } catch {
            throw usageError(error.message, in: command)
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
