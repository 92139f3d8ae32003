import ArgumentParser
import FrameStore
import PostgresClient
import ProcessSupport

/// A failure of a subcommand's work, as a script can tell it apart by exit status.
protocol AdminFailure: Error, CustomStringConvertible {
    var exitStatus: SysExit { get }
}

extension PostgresError: AdminFailure {
    /// A database to retry later, or one that refused the statement.
    var exitStatus: SysExit { isTransient ? .temporaryFailure : .software }
}

extension DatasetCatalog.Failure: AdminFailure {
    var exitStatus: SysExit {
        switch self {
        case .noSuchDataset: return .noInput
        case .nameTaken: return .cannotCreate
        case .database(let error): return error.exitStatus
        }
    }
}

extension KeyStore.Failure: AdminFailure {
    var exitStatus: SysExit {
        switch self {
        case .noSuchKey: return .noInput
        case .nameTaken: return .cannotCreate
        case .revoked: return .dataError
        case .expiryNotInFuture, .expiryNotADate: return .usage
        case .database(let error): return error.exitStatus
        }
    }
}

/// Runs a subcommand's work; a failure becomes one line on stderr and its exit status.
func reportingFailure<T, Failure: AdminFailure>(_ body: () throws(Failure) -> T) throws(ExitCode) -> T {
    do {
        return try body()
    } catch {
        StandardError.write("frames-admin: \(error)")
        throw ExitCode(error.exitStatus.rawValue)
    }
}

/// A usage mistake found in `run()`, printed as argument-parser prints its own, with the subcommand's
/// usage. Checks wait until `run()` because argument-parser calls `validate()` before it looks for
/// unknown options, and a mistyped option should be reported as one.
func usageError(_ message: String, in command: ParsableCommand.Type) -> ExitCode {
    let usage = FramesAdmin.usageString(for: command)
    let path = usage.split(separator: " ").prefix { !$0.hasPrefix("[") && !$0.hasPrefix("<") }.joined(separator: " ")
    StandardError.write("Error: \(message)\nUsage: \(usage)\n  See '\(path) --help' for more information.")
    return ExitCode(SysExit.usage.rawValue)
}
