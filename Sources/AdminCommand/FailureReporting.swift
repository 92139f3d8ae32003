import ArgumentParser
import FrameStore
import ProcessSupport

extension DatasetCatalog.Failure {
    /// What a script can tell apart: a missing dataset, a taken name, a database to retry later.
    var exitStatus: SysExit {
        switch self {
        case .noSuchDataset: return .noInput
        case .nameTaken: return .cannotCreate
        case .database(let error): return error.isTransient ? .temporaryFailure : .software
        }
    }
}

/// Runs a subcommand's work; a failure becomes one line on stderr and its exit status.
func reportingFailure<T>(_ body: () throws(DatasetCatalog.Failure) -> T) throws(ExitCode) -> T {
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
