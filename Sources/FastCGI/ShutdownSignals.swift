import CFCGI
import Glibc
import Synchronization

/// Graceful stop on SIGTERM (service managers) and SIGUSR1 (libfcgi's and mod_fastcgi's convention).
///
/// libfcgi's own handling is not enough: it installs a SIGUSR1 handler (only if none is set) without
/// SA_RESTART that merely sets its `shutdownPending` flag, and leaves SIGTERM fatal. Worse, an
/// unrestarted signal that lands while a response is being written makes `write` return short or
/// EINTR, which libfcgi treats as a dead connection: the in-flight response would be cut off.
///
/// So the two signals stay blocked while a request is served, and are let in only while the
/// responder waits for the next connection. The handler (installed without SA_RESTART) records
/// the request, tells libfcgi, and writes a byte to a pipe the waiting `poll` watches: a signal
/// that arrives between unblocking and `poll` (or on another thread) still wakes the wait,
/// so no ordering of events can leave the worker asleep after a stop request.
enum ShutdownSignals {
    static let signals = [SIGTERM, SIGUSR1]

    /// The read end of the wake-up pipe, for `poll`; -1 before `install()`.
    static var wakeFD: Int32 { wakeReadFD.load(ordering: .acquiring) }

    static var isRequested: Bool { requested.load(ordering: .acquiring) }

    /// Idempotent: every responder in the process shares one set of handlers.
    static func install() throws(FastCGIError) {
        guard wakeReadFD.load(ordering: .acquiring) < 0 else { return }
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw .signalSetupFailed(errno: errno) }
        for fd in ends {
            // Non-blocking: the handler must never block on a full pipe, and draining stops when empty.
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        // Globals initialize lazily, on first use; that first use must not happen inside the handler.
        _ = requested.load(ordering: .relaxed)
        wakeWriteFD.store(ends[1], ordering: .releasing)
        wakeReadFD.store(ends[0], ordering: .releasing)

        var action = sigaction()
        action.__sigaction_handler.sa_handler = handleShutdownSignal
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0  // no SA_RESTART: an interrupted wait must return
        for signal in signals {
            guard sigaction(signal, &action, nil) == 0 else { throw .signalSetupFailed(errno: errno) }
        }
        block()
    }

    /// Keeps the signals pending while a request is served.
    static func block() { changeMask(SIG_BLOCK) }

    /// Lets the signals in while the responder waits for a connection.
    static func unblock() { changeMask(SIG_UNBLOCK) }

    /// Empties the pipe after a wake-up so the next wait blocks again.
    static func drainWakeups() {
        var scratch = [UInt8](repeating: 0, count: 64)
        while read(wakeFD, &scratch, scratch.count) > 0 {}
    }

    private static func changeMask(_ how: Int32) {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in signals { sigaddset(&set, signal) }
        pthread_sigmask(how, &set, nil)
    }
}

// The handler can reach only globals. Atomics are lock-free, so touching them is async-signal-safe,
// and both are initialized by `install()` before the handler can run.
private let requested = Atomic<Bool>(false)
private let wakeReadFD = Atomic<Int32>(-1)
private let wakeWriteFD = Atomic<Int32>(-1)

private let handleShutdownSignal: @convention(c) (Int32) -> Void = { _ in
    let savedErrno = errno  // the interrupted code may be about to read errno
    requested.store(true, ordering: .releasing)
    FCGX_ShutdownPending()
    var byte: UInt8 = 1
    _ = write(wakeWriteFD.load(ordering: .acquiring), &byte, 1)
    errno = savedErrno
}
