import FramesCore
import ProcessSupport
import XCTest

/// Answers laid out as the kernel writes them (host byte order), read back by the parser.
final class UnixSocketDiagnosticsTests: XCTestCase {
    private func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value) { Array($0) } }

    private func message(type: UInt16, _ payload: [UInt8]) -> [UInt8] {
        le(UInt32(16 + payload.count)) + le(type) + le(UInt16(0)) + le(UInt32(1)) + le(UInt32(0)) + payload
    }

    /// `unix_diag_msg` for a listening socket, then the UNIX_DIAG_RQLEN attribute.
    private func answer(inode: UInt32, waiting: UInt32, backlog: UInt32, before: [UInt8] = []) -> [UInt8] {
        let header: [UInt8] = [1, 1, 10, 0] + le(inode) + le(UInt32.max) + le(UInt32.max)
        let queueAttribute = le(UInt16(12)) + le(UInt16(4)) + le(waiting) + le(backlog)
        return message(type: 20, header + before + queueAttribute)
    }

    func testTheRequestIsOneHeaderAndOneUnixDiagRequest() {
        let request = UnixSocketDiagnostics.request(inode: 4_745_442, sequence: 7)
        XCTAssertEqual(request.count, 40)
        XCTAssertEqual(Array(request[0..<4]), le(UInt32(40)))
        XCTAssertEqual(Array(request[4..<6]), le(UInt16(20)))
        XCTAssertEqual(request[16], 1, "AF_UNIX")
        XCTAssertEqual(Array(request[24..<28]), le(UInt32(4_745_442)))
    }

    func testReadsTheQueueOfTheSocketAsked() {
        XCTAssertEqual(UnixSocketDiagnostics.queue(inAnswer: answer(inode: 9, waiting: 3, backlog: 32), inode: 9),
                       .success(ListenQueue(length: 3, capacity: 32)))
    }

    func testSkipsOtherAttributesBeforeTheQueue() {
        let name = le(UInt16(9)) + le(UInt16(0)) + Array("/a/b".utf8) + [0, 0, 0, 0]
        XCTAssertEqual(UnixSocketDiagnostics.queue(inAnswer: answer(inode: 9, waiting: 33, backlog: 32, before: name), inode: 9),
                       .success(ListenQueue(length: 33, capacity: 32)))
    }

    func testAnotherSocketsAnswerIsNotThisOne() {
        XCTAssertEqual(UnixSocketDiagnostics.queue(inAnswer: answer(inode: 8, waiting: 3, backlog: 32), inode: 9),
                       .failure(.notFound))
    }

    func testTheKernelsRefusalCarriesItsErrno() {
        let refusal = message(type: 2, le(Int32(-2)) + Array(repeating: 0, count: 16))
        XCTAssertEqual(UnixSocketDiagnostics.queue(inAnswer: refusal, inode: 9), .failure(.kernel(errno: 2)))
    }

    func testATruncatedAnswerIsMalformed() {
        let whole = answer(inode: 9, waiting: 3, backlog: 32)
        XCTAssertEqual(UnixSocketDiagnostics.queue(inAnswer: Array(whole.dropLast(4)), inode: 9), .failure(.malformed))
    }
}
