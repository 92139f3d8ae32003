import FramesCore
import Glibc

/// Reads a listening unix socket's queue from the kernel over NETLINK_SOCK_DIAG, as `ss -xl` does:
/// one datagram out, one back, no privileges needed. The netlink socket is opened once and kept.
public final class ListenQueueProbe {
    private let netlink: Int32
    private let inode: UInt32
    private var sequence: UInt32 = 0
    /// From <linux/netlink.h>, which Glibc's module does not bring in.
    private static let sockDiagProtocol: Int32 = 4

    /// Why the queue cannot be read; the caller goes on without the figure.
    public enum Failure: Error, Equatable {
        case notASocket(fd: Int32)
        case system(call: String, errno: Int32)
        case answer(UnixSocketDiagnostics.Failure)
    }

    /// Probes the listening socket open as `fd` (the pool's fd 0).
    public init(listening fd: Int32) throws(Failure) {
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFSOCK else { throw .notASocket(fd: fd) }
        inode = UInt32(truncatingIfNeeded: status.st_ino)
        netlink = socket(AF_NETLINK, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), Self.sockDiagProtocol)
        guard netlink >= 0 else { throw .system(call: "socket", errno: errno) }
        // A reply that never comes (it should not) must not hang a worker.
        var wait = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(netlink, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(netlink) }

    public func sample() throws(Failure) -> ListenQueue {
        sequence &+= 1
        let request = UnixSocketDiagnostics.request(inode: inode, sequence: sequence)
        guard (request.withUnsafeBytes { send(netlink, $0.baseAddress, $0.count, 0) }) == request.count else {
            throw .system(call: "send", errno: errno)
        }
        var answer = [UInt8](repeating: 0, count: 8192)
        let got = answer.withUnsafeMutableBytes { recv(netlink, $0.baseAddress, $0.count, 0) }
        guard got > 0 else { throw .system(call: "recv", errno: errno) }
        switch UnixSocketDiagnostics.queue(inAnswer: Array(answer.prefix(got)), inode: inode) {
        case .success(let queue): return queue
        case .failure(let failure): throw .answer(failure)
        }
    }
}
