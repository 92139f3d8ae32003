import FastCGI
import XCTest

/// The framing of a response sent whole, read back as nginx reads FastCGI records.
final class FastCGIRecordsTests: XCTestCase {
    private struct Record: Equatable {
        var type: UInt8
        var requestID: Int
        var content: [UInt8]
    }

    private func records(_ bytes: [UInt8]) throws -> [Record] {
        var found: [Record] = []
        var at = 0
        while at < bytes.count {
            XCTAssertGreaterThanOrEqual(bytes.count - at, 8, "a header cut short")
            XCTAssertEqual(bytes[at], 1, "protocol version")
            let length = Int(bytes[at + 4]) << 8 | Int(bytes[at + 5])
            let padding = Int(bytes[at + 6])
            let start = at + 8
            XCTAssertLessThanOrEqual(start + length + padding, bytes.count)
            found.append(Record(type: bytes[at + 1], requestID: Int(bytes[at + 2]) << 8 | Int(bytes[at + 3]),
                                content: Array(bytes[start..<start + length])))
            XCTAssertEqual((length + padding) % 8, 0, "records stay 8-byte aligned")
            at = start + length + padding
        }
        return found
    }

    func testAResponseOfAnySizeComesBackWholeThenEndsItsStreamAndItsRequest() throws {
        for size in [0, 1, 7, 8, 65_528, 65_529, 200_000] {
            let payload = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            let read = try records(FastCGIRecords.completeResponse(payload, requestID: 258, appStatus: 0))
            XCTAssertTrue(read.allSatisfy { $0.requestID == 258 }, "size \(size)")
            let stdout = read.dropLast(2)
            XCTAssertTrue(stdout.allSatisfy { $0.type == 6 && !$0.content.isEmpty && $0.content.count <= 65_535 })
            XCTAssertEqual(stdout.flatMap(\.content), payload, "size \(size)")
            XCTAssertEqual(read[read.count - 2], Record(type: 6, requestID: 258, content: []), "the end of stdout")
            XCTAssertEqual(read.last, Record(type: 3, requestID: 258, content: [0, 0, 0, 0, 0, 0, 0, 0]),
                           "FCGI_END_REQUEST, complete, status 0")
        }
    }

    func testTheApplicationStatusIsBigEndian() throws {
        let read = try records(FastCGIRecords.completeResponse([1, 2, 3], requestID: 1, appStatus: 0x0102_0304))
        XCTAssertEqual(read.last?.content, [1, 2, 3, 4, 0, 0, 0, 0])
    }
}
