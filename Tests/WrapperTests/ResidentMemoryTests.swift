import ProcessSupport
import XCTest

final class ResidentMemoryTests: XCTestCase {
    func testGrowsWithTouchedMemory() throws {
        let before = try XCTUnwrap(ResidentMemory.megabytes())
        XCTAssertGreaterThan(before, 1)
        let block = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 20, alignment: 4096)
        defer { block.deallocate() }
        block.initializeMemory(as: UInt8.self, repeating: 1)
        let after = try XCTUnwrap(ResidentMemory.megabytes())
        XCTAssertGreaterThanOrEqual(after - before, 60)
    }
}
