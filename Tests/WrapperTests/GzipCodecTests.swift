import XCTest
import GzipCodec

final class GzipCodecTests: XCTestCase {
    func testRoundTripOfManyRowsThroughOneStream() throws {
        let compressor = try GzipCompressor()
        let decompressor = try GzipDecompressor()
        var generator = SystemRandomNumberGenerator()
        for width in [1, 150, 200, 4096] {
            let row = (0..<width).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let packed = try compressor.compress(row)
            XCTAssertEqual(Array(packed.prefix(3)), [0x1f, 0x8b, 8], "a gzip member with deflate")
            XCTAssertEqual(try decompressor.decompress(packed, size: width), row)
        }
    }

    func testRepetitiveRowCompresses() throws {
        let row = [UInt8](repeating: 128, count: 200)
        XCTAssertLessThan(try GzipCompressor().compress(row).count, 40)
    }

    func testGzipToolRecoversTheBytes() throws {
        let row: [UInt8] = (0..<200).map { UInt8(($0 * 7) % 256) }
        let packed = try GzipCompressor().compress(row)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gz-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("row.gz")
        try Data(packed).write(to: file)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = ["-d", file.path]
        try gzip.run()
        gzip.waitUntilExit()
        XCTAssertEqual(gzip.terminationStatus, 0)
        XCTAssertEqual([UInt8](try Data(contentsOf: dir.appendingPathComponent("row"))), row)
    }

    func testTruncatedInputIsAnError() throws {
        let packed = try GzipCompressor().compress([UInt8](repeating: 1, count: 200))
        XCTAssertThrowsError(try GzipDecompressor().decompress(Array(packed.prefix(10)), size: 200))
    }
}
