import ArgumentParser
import ProcessSupport

extension SysExit {
    /// Ends `run()` with this status: argument-parser exits quietly with an `ExitCode`.
    public func exitIfFailed() throws(ExitCode) {
        if self != .ok { throw ExitCode(rawValue) }
    }
}
