public enum FastCGIError: Error, Equatable {
    /// fd 0 is not a listening socket: the binary was run by hand instead of by spawn-fcgi.
    case notLaunchedAsFastCGI
    case libraryInitFailed(code: Int32)
    /// Setting up the shutdown signals failed (`errno`).
    case signalSetupFailed(errno: Int32)
    /// Waiting for or accepting a connection failed; `code` is libfcgi's (a negated `errno`) or `errno`.
    case acceptFailed(code: Int32)
    /// The web server went away mid-response; `code` is the stream's error (an `errno` or libfcgi's).
    case writeFailed(code: Int32)
    case noActiveRequest
}
