import Glibc
import PostgresClient
import Synchronization

/// Bounds how long one request may hold a worker (`FRAMES_REQUEST_TIMEOUT`). When the time is up,
/// SIGALRM cancels the statement the worker waits on, so the request ends with a 503 and the worker
/// then exits for a fresh one; if it is stuck anywhere else, a second alarm a few seconds later ends
/// the process outright (multiwatch replaces it; nginx retries the GET). `statement_timeout` usually
/// fires first: this is the guard for what it does not cover.
enum RequestWatchdog {
    /// Seconds between the cancel and the hard exit.
    static let graceSeconds: UInt32 = 5

    private static let limit = Atomic<UInt32>(0)
    /// 0: idle; 1: a request runs; 2: its time ran out and the statement was cancelled.
    private static let state = Atomic<Int>(0)
    private static let cancelToken = Atomic<UInt>(0)
    /// The line the second alarm writes to stderr before `_exit`: made beforehand, as a handler may
    /// not allocate.
    nonisolated(unsafe) private static var lastWords: [UInt8] = []

    static func install(seconds: Int) {
        guard seconds > 0 else { return }
        limit.store(UInt32(seconds), ordering: .relaxed)
        _ = state.load(ordering: .relaxed)
        _ = cancelToken.load(ordering: .relaxed)
        lastWords = Array(("{\"level\":\"error\",\"message\":\"request still running \(seconds + Int(graceSeconds)) s after "
                           + "it started, past FRAMES_REQUEST_TIMEOUT; the worker exits\",\"pid\":\(getpid())}\n").utf8)
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in RequestWatchdog.alarmed() }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(SIGALRM, &action, nil)
    }

    /// The connection whose statement a timeout cancels (after every reconnect).
    static func watch(_ connection: PostgresConnection) {
        cancelToken.store(connection.cancelToken, ordering: .releasing)
    }

    static func requestStarted() {
        let seconds = limit.load(ordering: .relaxed)
        guard seconds > 0 else { return }
        state.store(1, ordering: .releasing)
        alarm(seconds)
    }

    /// Ends the watch; true when the request ran out of time (the worker should exit).
    static func requestFinished() -> Bool {
        guard limit.load(ordering: .relaxed) > 0 else { return false }
        alarm(0)
        return state.exchange(0, ordering: .acquiringAndReleasing) == 2
    }

    private static func alarmed() {
        switch state.load(ordering: .acquiring) {
        case 1:
            state.store(2, ordering: .releasing)
            PostgresConnection.cancelRunningStatement(of: cancelToken.load(ordering: .acquiring))
            alarm(graceSeconds)
        case 2:
            _ = lastWords.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
            _exit(70)
        default:
            break
        }
    }
}
