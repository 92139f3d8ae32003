import Foundation
import XCTest
@testable import FramesCore

final class FrameRendererTests: XCTestCase {
    /// Every entry distinct in every channel, so a lookup through the wrong index or channel shows.
    private let palette: [UInt8] = (0..<256).flatMap { (i: Int) -> [UInt8] in
        [UInt8(i), UInt8(255 - i), UInt8((i * 7 + 3) % 256)]
    }

    private func frame(depth: Double = 9000.1, pixels: [UInt8], mean: Double = 120.5, std: Double = 30.25) -> StoredFrame {
        StoredFrame(depth: depth, statistics: RowStatistics(min: 13, max: 237, mean: mean, std: std),
                    compressionRatioOriginal: 1.23, compressionRatioResized: 1.1, pixels: pixels)
    }

    private func rgb(of pixels: [UInt8]) -> [UInt8] {
        pixels.flatMap { palette[Int($0) * 3 ..< Int($0) * 3 + 3] }
    }

    private func parseJSON(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
    }

    // MARK: - One element

    func testElementHasTheDocumentedShapeAndKeyOrder() {
        var out: [UInt8] = []
        FrameRenderer(palette: palette).appendJSONObject(frame(pixels: [0, 1]), to: &out)
        // Pixel 0 is (0, 255, 3) and pixel 1 is (1, 254, 10): base64 "AP8D" + "Af4K".
        XCTAssertEqual(String(decoding: out, as: UTF8.self),
                       #"{"depth":9000.1,"data":"AP8DAf4K","metadata":{"min":13,"max":237,"mean":120.5,"#
                       + #""std":30.25,"compression_ratio_original":1.23,"compression_ratio_resized":1.1}}"#)
    }

    func testDataIsBase64OfPaletteLookupForEveryValue() throws {
        var generator = SystemRandomNumberGenerator()
        let pixels = (0..<256).map(UInt8.init) + (0..<150).map { _ in UInt8.random(in: 0...255, using: &generator) }
        var out: [UInt8] = []
        FrameRenderer(palette: palette).appendJSONObject(frame(pixels: pixels), to: &out)

        let object = try XCTUnwrap(try parseJSON(out) as? [String: Any])
        let data = try XCTUnwrap(object["data"] as? String)
        let decoded = try XCTUnwrap(Data(base64Encoded: data), "valid base64")
        XCTAssertEqual([UInt8](decoded), rgb(of: pixels))
        XCTAssertEqual(object["depth"] as? Double, 9000.1)
        let metadata = try XCTUnwrap(object["metadata"] as? [String: Any])
        XCTAssertEqual(metadata["min"] as? Int, 13)
        XCTAssertEqual(metadata["max"] as? Int, 237)
        XCTAssertEqual(metadata["mean"] as? Double, 120.5)
        XCTAssertEqual(metadata["std"] as? Double, 30.25)
        XCTAssertEqual(metadata["compression_ratio_original"] as? Double, 1.23)
        XCTAssertEqual(metadata["compression_ratio_resized"] as? Double, 1.1)
    }

    func testNumbersRoundTripAndStayValidJSON() throws {
        let awkward = [1e-05, 0.1 + 0.2, 1.0 / 3, Double.leastNonzeroMagnitude, 1e16, 120.0, 0]
        for value in awkward {
            var out: [UInt8] = []
            FrameRenderer(palette: palette).appendJSONObject(frame(depth: value, pixels: [7], mean: value), to: &out)
            let text = String(decoding: out, as: UTF8.self)
            XCTAssertNotNil(try parseJSON(out) as? [String: Any], text)
            // Foundation's parser on Linux rounds some doubles, so exactness is checked with Swift's own.
            let number = text.dropFirst(#"{"depth":"#.count).prefix { $0 != "," }
            XCTAssertEqual(Double(String(number)), value, "\(value) reads back exactly from \(number)")
        }
    }

    func testNonFiniteStatisticsBecomeNull() throws {
        var out: [UInt8] = []
        FrameRenderer(palette: palette).appendJSONObject(frame(pixels: [1], mean: .nan, std: .infinity), to: &out)
        let object = try XCTUnwrap(try parseJSON(out) as? [String: Any])
        let metadata = try XCTUnwrap(object["metadata"] as? [String: Any])
        XCTAssertTrue(metadata["mean"] is NSNull)
        XCTAssertTrue(metadata["std"] is NSNull)
    }

    // MARK: - Array and NDJSON

    func testArrayJoinsElements() throws {
        let renderer = FrameRenderer(palette: palette)
        let frames = [frame(depth: 1, pixels: [0, 255]), frame(depth: 2.5, pixels: [128, 64])]
        var out: [UInt8] = []
        renderer.appendJSONArray(frames, to: &out)

        let array = try XCTUnwrap(try parseJSON(out) as? [[String: Any]])
        XCTAssertEqual(array.count, 2)
        XCTAssertEqual(array.map { $0["depth"] as? Double }, [1, 2.5])
        XCTAssertEqual(try array.map { [UInt8](try XCTUnwrap(Data(base64Encoded: $0["data"] as? String ?? ""))) },
                       frames.map { rgb(of: $0.pixels) })

        var single: [UInt8] = []
        renderer.appendJSONObject(frames[0], to: &single)
        var second: [UInt8] = []
        renderer.appendJSONObject(frames[1], to: &second)
        XCTAssertEqual(out, Array("[".utf8) + single + Array(",".utf8) + second + Array("]".utf8))
    }

    func testEmptyArrayAndEmptyNDJSON() {
        let renderer = FrameRenderer(palette: palette)
        var json: [UInt8] = []
        renderer.appendJSONArray([StoredFrame](), to: &json)
        XCTAssertEqual(String(decoding: json, as: UTF8.self), "[]")
        var ndjson: [UInt8] = []
        renderer.appendNDJSON([StoredFrame](), to: &ndjson)
        XCTAssertEqual(ndjson, [])
    }

    func testNDJSONHasOneTerminatedLinePerFrame() throws {
        let renderer = FrameRenderer(palette: palette)
        let frames = (0..<3).map { frame(depth: Double($0), pixels: [UInt8($0), 9]) }
        var out: [UInt8] = []
        renderer.appendNDJSON(frames, to: &out)

        XCTAssertEqual(out.last, UInt8(ascii: "\n"))
        let lines = out.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        XCTAssertEqual(lines.count, 4, "three lines and nothing after the last newline")
        XCTAssertEqual(lines.last?.isEmpty, true)
        for (index, line) in lines.dropLast().enumerated() {
            let object = try XCTUnwrap(try parseJSON(Array(line)) as? [String: Any])
            XCTAssertEqual(object["depth"] as? Double, Double(index))
        }
    }

    // MARK: - Building blocks

    func testBase64MatchesFoundationForEveryTailLength() {
        var generator = SystemRandomNumberGenerator()
        for count in 0..<40 {
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            var out: [UInt8] = Array("prefix".utf8)
            Base64.append(bytes, to: &out)
            XCTAssertEqual(String(decoding: out, as: UTF8.self), "prefix" + Data(bytes).base64EncodedString())
            XCTAssertEqual(out.count - 6, Base64.encodedCount(of: count))
        }
    }

    func testStringEscapingSurvivesAParser() throws {
        let nasty = "quote \" backslash \\ newline \n tab \t nul \u{0} bell \u{7} del \u{7F} é 😀 \u{2028}"
        var out: [UInt8] = []
        JSONWriter.appendString(nasty, to: &out)
        XCTAssertEqual(try parseJSON(out) as? String, nasty)
        XCTAssertFalse(out.contains { $0 < 0x20 }, "no raw control characters")
    }

    func testIntegers() {
        for value in [0, 7, -7, 10, 255, Int.max, Int.min] {
            var out: [UInt8] = []
            JSONWriter.appendNumber(value, to: &out)
            XCTAssertEqual(String(decoding: out, as: UTF8.self), String(value))
        }
    }
}
