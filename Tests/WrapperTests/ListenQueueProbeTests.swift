import FramesCore
import Glibc
import ProcessSupport
import XCTest

/// The probe against a real listening unix socket: the kernel's own figures, as `ss -xl` shows them.
final class ListenQueueProbeTests: XCTestCase {
    private var path = ""
    private var listener: Int32 = -1
    private var clients: [Int32] = []

    override func setUp() {
        path = "/tmp/listen-queue-probe-\(getpid()).sock"
        unlink(path)
        listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = Self.address(path)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        XCTAssertEqual(bound, 0)
        XCTAssertEqual(listen(listener, 5), 0)
    }

    override func tearDown() {
        for fd in clients + [listener] { close(fd) }
        unlink(path)
    }

    /// A non-blocking connect: true when the kernel queued it, false when it refused it (EAGAIN).
    private func connectOne() -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        var address = Self.address(path)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        clients.append(fd)
        return result == 0
    }

    private static func address(_ path: String) -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in path.utf8.enumerated() { raw[i] = byte }
        }
        return address
    }

    func testReadsTheWaitingConnectionsAndTheBacklog() throws {
        let probe = try ListenQueueProbe(listening: listener)
        XCTAssertEqual(try probe.sample(), ListenQueue(length: 0, capacity: 5))
        for _ in 0..<3 { XCTAssertTrue(connectOne()) }
        XCTAssertEqual(try probe.sample(), ListenQueue(length: 3, capacity: 5))
    }

    func testAQueueThatRefusesConnectionsReadsFull() throws {
        let probe = try ListenQueueProbe(listening: listener)
        var refused = 0
        for _ in 0..<10 where !connectOne() { refused += 1 }
        let queue = try probe.sample()
        XCTAssertGreaterThan(refused, 0)
        XCTAssertEqual(queue.length, 10 - refused)
        XCTAssertTrue(queue.wasFull(beforeTaking: 0), "\(queue)")
        for _ in 0..<queue.length { clients.append(accept(listener, nil, nil)) }
        XCTAssertEqual(try probe.sample().length, 0)
        XCTAssertFalse(try probe.sample().wasFull(beforeTaking: 0))
    }

    func testAFileIsNotASocket() {
        let fd = open("/dev/null", O_RDONLY)
        defer { close(fd) }
        XCTAssertThrowsError(try ListenQueueProbe(listening: fd))
    }
}
