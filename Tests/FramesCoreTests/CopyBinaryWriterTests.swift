import FramesCore
import XCTest

final class CopyBinaryWriterTests: XCTestCase {
    func testLayoutFollowsPostgresBinaryCopyFormat() {
        var writer = CopyBinaryWriter()
        writer.beginTuple(fieldCount: 4)
        writer.appendFloat8(1.5)
        writer.appendInt2(-2)
        writer.appendBytea([0xAB, 0xCD])
        writer.appendInt8(258)
        writer.finish()
        let expected: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00] + [0, 0, 0, 0] + [0, 0, 0, 0]
            + [0, 4]
            + [0, 0, 0, 8, 0x3F, 0xF8, 0, 0, 0, 0, 0, 0]
            + [0, 0, 0, 2, 0xFF, 0xFE]
            + [0, 0, 0, 2, 0xAB, 0xCD]
            + [0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 1, 2]
            + [0xFF, 0xFF]
        XCTAssertEqual(writer.buffer, expected)
    }

    func testTakeBufferHandsOverAndEmpties() {
        var writer = CopyBinaryWriter()
        let first = writer.takeBuffer()
        XCTAssertEqual(first.count, 19)
        XCTAssertTrue(writer.buffer.isEmpty)
    }
}
