import XCTest
import PNGEncoder

final class PalettePNGTests: XCTestCase {
    /// Distinct in every channel, so a wrong index or a swapped channel shows up.
    private let palette: [UInt8] = (0..<256).flatMap { (i: Int) -> [UInt8] in
        [UInt8(i), UInt8(255 - i), UInt8((i * 7 + 3) % 256)]
    }

    private func expectedRGB(_ indices: [UInt8]) -> [UInt8] {
        indices.flatMap { palette[Int($0) * 3 ..< Int($0) * 3 + 3] }
    }

    private func randomIndices(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    func testRoundTripThroughLibpngAtEveryLevel() throws {
        for (width, height) in [(1, 1), (150, 100), (3, 517), (256, 1)] {
            var indices = randomIndices(width * height)
            if width * height >= 256 { indices.replaceSubrange(0..<256, with: (0...255).map(UInt8.init)) }
            for level: Int32 in [0, 1, 6, 9] {
                let png = try PalettePNG.encode(width: width, height: height, palette: palette, indices: indices,
                                                level: level)
                XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "PNG signature")
                let decoded = try PNGDecoder.decodeRGB(png)
                XCTAssertEqual(decoded.width, width)
                XCTAssertEqual(decoded.height, height)
                XCTAssertEqual(decoded.rgb, expectedRGB(indices), "\(width)×\(height) level \(level)")
            }
        }
    }

    func testWritesAPaletteImageNotRGB() throws {
        let png = try PalettePNG.encode(width: 4, height: 2, palette: palette, indices: [0, 1, 2, 3, 4, 5, 6, 7])
        // IHDR starts at byte 8: length, "IHDR", width, height, bit depth (byte 24), color type (byte 25).
        XCTAssertEqual(String(decoding: png[12..<16], as: UTF8.self), "IHDR")
        XCTAssertEqual(png[24], 8, "8-bit indices")
        XCTAssertEqual(png[25], 3, "color type 3: palette")
        XCTAssertNotNil(png.firstRange(of: Array("PLTE".utf8)))
    }

    func testStoredIsLargerThanCompressed() throws {
        let indices = randomIndices(150 * 200).map { $0 / 16 }
        let stored = try PalettePNG.encode(width: 150, height: 200, palette: palette, indices: indices, level: 0)
        let packed = try PalettePNG.encode(width: 150, height: 200, palette: palette, indices: indices, level: 9)
        XCTAssertGreaterThan(stored.count, indices.count)
        XCTAssertLessThan(packed.count, indices.count * 2 / 3)
    }

    func testRepetitiveImageCompresses() throws {
        let indices = (0..<(150 * 1000)).map { UInt8($0 % 150) }
        let png = try PalettePNG.encode(width: 150, height: 1000, palette: palette, indices: indices)
        XCTAssertLessThan(png.count, indices.count / 20)
        XCTAssertEqual(try PNGDecoder.decodeRGB(png).rgb, expectedRGB(indices))
    }

    func testInvalidInputIsRejected() {
        XCTAssertThrowsError(try PalettePNG.encode(width: 0, height: 1, palette: palette, indices: [])) {
            XCTAssertEqual($0 as? PNGEncodingError, .invalidSize(width: 0, height: 1))
        }
        XCTAssertThrowsError(try PalettePNG.encode(width: 2, height: 2, palette: palette, indices: [1, 2, 3])) {
            XCTAssertEqual($0 as? PNGEncodingError, .indexCountMismatch(expected: 4, actual: 3))
        }
        XCTAssertThrowsError(try PalettePNG.encode(width: 1, height: 1, palette: [0, 0, 0], indices: [0])) {
            XCTAssertEqual($0 as? PNGEncodingError, .invalidPalette(byteCount: 3))
        }
        XCTAssertThrowsError(try PalettePNG.encode(width: 1, height: 1, palette: palette, indices: [0], level: 10)) {
            XCTAssertEqual($0 as? PNGEncodingError, .invalidLevel(10))
        }
    }

    func testDecoderRejectsGarbage() {
        XCTAssertThrowsError(try PNGDecoder.decodeRGB(Array("not a png at all".utf8))) {
            guard case .libpng(let message) = $0 as? PNGDecodingError else { return XCTFail("\($0)") }
            XCTAssertFalse(message.isEmpty)
        }
    }
}
