import CFCGI
import Glibc

/// A single-threaded FastCGI responder over libfcgi: accept a request, read its CGI parameters,
/// write the response (CGI head, then body), finish, repeat until told to stop.
///
/// ```
/// let responder = try FastCGIResponder()
/// while try responder.accept() {
///     try responder.write(head + body)
///     responder.finish()
/// }
/// ```
///
/// SIGTERM or SIGUSR1 make `accept` return false, after the request in flight (if any) is answered
/// in full; see `ShutdownSignals`.
public final class FastCGIResponder {
    /// libfcgi keeps pointers to the request inside its streams, so it lives at a fixed address.
    private let request: UnsafeMutablePointer<FCGX_Request>
    /// The listening socket spawn-fcgi passes as fd 0.
    private let listenSocket: Int32 = 0

    public init() throws(FastCGIError) {
        guard FCGX_IsCGI() == 0 else { throw .notLaunchedAsFastCGI }
        let code = FCGX_Init()
        guard code == 0 else { throw .libraryInitFailed(code: code) }
        try ShutdownSignals.install()
        // Non-blocking, so that when several workers share the socket and another one takes the
        // connection `poll` announced, libfcgi's accept fails with EAGAIN instead of sleeping with
        // the stop signals blocked. Accepted connections do not inherit the flag on Linux.
        _ = fcntl(listenSocket, F_SETFL, fcntl(listenSocket, F_GETFL) | O_NONBLOCK)
        request = .allocate(capacity: 1)
        request.initialize(to: FCGX_Request())
        FCGX_InitRequest(request, listenSocket, 0)
    }

    deinit {
        FCGX_Finish_r(request)
        FCGX_Free(request, 1)
        request.deinitialize(count: 1)
        request.deallocate()
    }

    /// Finishes the previous request and waits for the next one. False on a stop request; throws when
    /// the socket fails. Either way the caller should exit.
    public func accept() throws(FastCGIError) -> Bool {
        // Finishing flushes the previous response, still with the stop signals blocked.
        FCGX_Finish_r(request)
        while !ShutdownSignals.isRequested {
            var waiting = [pollfd(fd: listenSocket, events: Int16(POLLIN), revents: 0),
                           pollfd(fd: ShutdownSignals.wakeFD, events: Int16(POLLIN), revents: 0)]
            ShutdownSignals.unblock()
            let ready = poll(&waiting, 2, -1)
            let pollErrno = errno
            ShutdownSignals.block()
            if ready < 0 {
                if pollErrno == EINTR { continue }
                throw .acceptFailed(code: pollErrno)
            }
            if waiting[1].revents != 0 {
                ShutdownSignals.drainWakeups()
                continue
            }
            if waiting[0].revents & Int16(POLLNVAL) != 0 {
                throw .acceptFailed(code: EBADF)
            }
            let code = FCGX_Accept_r(request)
            if code >= 0 { return true }
            // Another worker won the race for the connection, or it was dropped before its request
            // arrived; either way, wait again.
            if code == -EAGAIN || code == -EWOULDBLOCK { continue }
            if ShutdownSignals.isRequested { break }
            throw .acceptFailed(code: code)
        }
        return false
    }

    /// A CGI parameter of the current request (`REQUEST_METHOD`, `QUERY_STRING`, `HTTP_ACCEPT`…).
    public func param(_ name: String) -> String? {
        guard let environment = request.pointee.envp, let value = FCGX_GetParam(name, environment) else { return nil }
        return String(cString: value)
    }

    /// Appends to the response; libfcgi buffers and sends in FastCGI records.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(FastCGIError) {
        guard let out = request.pointee.out else { throw .noActiveRequest }
        guard var next = bytes.baseAddress?.assumingMemoryBound(to: CChar.self) else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let chunk = Int32(min(remaining, Int(Int32.max)))
            guard FCGX_PutStr(next, chunk, out) == chunk else { throw .writeFailed(code: FCGX_GetError(out)) }
            next += Int(chunk)
            remaining -= Int(chunk)
        }
    }

    public func write(_ bytes: [UInt8]) throws(FastCGIError) {
        try bytes.withUnsafeBufferPointer { (buffer) throws(FastCGIError) in try write(UnsafeRawBufferPointer(buffer)) }
    }

    /// Sends what is buffered now, for streamed responses; `finish` and `accept` flush anyway.
    public func flush() throws(FastCGIError) {
        guard let out = request.pointee.out else { throw .noActiveRequest }
        guard FCGX_FFlush(out) == 0 else { throw .writeFailed(code: FCGX_GetError(out)) }
    }

    /// Bounds how long a write to the current connection may wait for nginx to take the bytes: past it
    /// the write fails (EAGAIN), the stream is marked failed and the rest of the response is dropped.
    /// The bound stays with the connection, so it also covers the closing records.
    public func limitWriteWait(seconds: Double) {
        let fd = request.pointee.ipcFd
        guard fd >= 0 else { return }
        let whole = seconds.rounded(.down)
        var wait = timeval(tv_sec: Int(whole), tv_usec: Int((seconds - whole) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Ends the current connection so that nginx aborts the client's answer instead of completing it.
    /// nginx, not keeping FastCGI connections, takes a connection closed without the end-of-request
    /// record for a finished answer and would send the client a clean end; a record header of an
    /// unknown protocol version after the queued data makes it drop the client connection instead, so
    /// the client sees the body cut short. The send buffer is full (that is why the stream is cut), so
    /// it is grown for the header first. Shut in both directions, the connection then closes at once
    /// in `finish` (libfcgi would otherwise linger up to 2 s for nginx to read the queue).
    public func abandonConnection() {
        let fd = request.pointee.ipcFd
        guard fd >= 0 else { return }
        var size: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        if getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, &length) == 0 {
            // The kernel doubles what it is given: asking for the current size grows the buffer.
            setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, length)
        }
        let invalidHeader = [UInt8](repeating: 0, count: 8)
        _ = send(fd, invalidHeader, invalidHeader.count, Int32(MSG_DONTWAIT) | Int32(MSG_NOSIGNAL))
        shutdown(fd, Int32(SHUT_RDWR))
    }

    /// Sends `response` (CGI head and body) and the end of the request in one write, instead of through
    /// libfcgi's stream (see `FastCGIRecords`); libfcgi then writes nothing more for this request.
    /// Nothing may have been written to the request before.
    public func sendComplete(_ response: [UInt8]) throws(FastCGIError) {
        guard let out = request.pointee.out, let err = request.pointee.err else { throw .noActiveRequest }
        let records = FastCGIRecords.completeResponse(response, requestID: UInt16(truncatingIfNeeded: request.pointee.requestId))
        // Marked closed first: whether or not the write succeeds, finishing must not add records.
        for stream in [out, err] {
            stream.pointee.wasFCloseCalled = 1
            stream.pointee.isClosed = 1
        }
        let fd = request.pointee.ipcFd
        var sent = 0
        while sent < records.count {
            let count = records[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .writeFailed(code: errno)
            }
            sent += count
        }
    }

    /// Completes the response and closes the connection. Safe to call twice; `accept` calls it too.
    public func finish() {
        FCGX_Finish_r(request)
    }
}
