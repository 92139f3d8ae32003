import Foundation
import XCTest
@testable import FramesCore

final class LanczosResizerTests: XCTestCase {
    private struct Fixture: Decodable {
        struct Case: Decodable {
            let name: String
            let sourceWidth: Int
            let targetWidth: Int
            let input: [UInt8]
            let expected: [UInt8]
        }
        let pillowVersion: String
        let cases: [Case]

        enum CodingKeys: String, CodingKey {
            case pillowVersion = "pillow_version"
            case cases
        }
    }

    private func loadFixture() throws -> Fixture {
        let url = try XCTUnwrap(
            Bundle.module.url(forResource: "resize_lanczos", withExtension: "json", subdirectory: "Fixtures"),
            "resize_lanczos.json missing: run tools/fixtures/make_resize_fixtures.py")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    func testMatchesPillowExactly() throws {
        let fixture = try loadFixture()
        XCTAssertGreaterThan(fixture.cases.count, 40, "fixture looks truncated")
        var resizers: [[Int]: LanczosResizer] = [:]
        var exactCases = 0
        for testCase in fixture.cases {
            XCTAssertEqual(testCase.input.count, testCase.sourceWidth, testCase.name)
            let key = [testCase.sourceWidth, testCase.targetWidth]
            let resizer = resizers[key] ?? LanczosResizer(sourceWidth: key[0], targetWidth: key[1])
            resizers[key] = resizer
            let output = resizer.resize(testCase.input)
            guard output.count == testCase.expected.count else {
                XCTFail("\(testCase.name): \(output.count) pixels, Pillow gave \(testCase.expected.count)")
                continue
            }
            let diffs = zip(output, testCase.expected).map { abs(Int($0) - Int($1)) }
            let mismatches = diffs.filter { $0 != 0 }.count
            if mismatches == 0 {
                exactCases += 1
            } else {
                let first = diffs.firstIndex { $0 != 0 }!
                XCTFail("""
                    \(testCase.name): \(mismatches)/\(diffs.count) pixels differ from Pillow \
                    \(fixture.pillowVersion), max diff \(diffs.max()!), first at x=\(first) \
                    (got \(output[first]), expected \(testCase.expected[first]))
                    """)
            }
        }
        XCTAssertEqual(exactCases, fixture.cases.count, "cases matching Pillow exactly")
    }

    func testUnsafeBufferAPIAgreesWithArrayAPI() {
        let resizer = LanczosResizer(sourceWidth: 200, targetWidth: 150)
        var generator = SplitMix64(seed: 42)
        let row = (0..<200).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        // Canary bytes past the target width must survive: the hot path may write only W pixels.
        var output = [UInt8](repeating: 0xAB, count: 160)
        output.withUnsafeMutableBufferPointer { out in
            row.withUnsafeBufferPointer { resizer.resize($0, into: out) }
        }
        XCTAssertEqual(Array(output[..<150]), resizer.resize(row))
        XCTAssertEqual(Array(output[150...]), [UInt8](repeating: 0xAB, count: 10))
    }

    func testConstantRowsStayConstant() {
        // The fixed-point coefficients of each output pixel sum to 1 only up to rounding, so this
        // fails if a coefficient is rounded the wrong way or a window is misplaced at the edges.
        for (source, target) in [(200, 150), (200, 64), (37, 150), (10, 3), (3, 10), (1, 5), (7, 1), (999, 998)] {
            let resizer = LanczosResizer(sourceWidth: source, targetWidth: target)
            for value in [0, 1, 13, 128, 237, 254, 255] as [UInt8] {
                let output = resizer.resize([UInt8](repeating: value, count: source))
                XCTAssertEqual(output, [UInt8](repeating: value, count: target), "\(source)→\(target), value \(value)")
            }
        }
    }

    func testOutputWidthAndIdentity() {
        for (source, target) in [(1, 1), (1, 9), (9, 1), (200, 150), (37, 150), (150, 37), (2, 3)] {
            let resizer = LanczosResizer(sourceWidth: source, targetWidth: target)
            XCTAssertEqual(resizer.sourceWidth, source)
            XCTAssertEqual(resizer.targetWidth, target)
            XCTAssertEqual(resizer.resize([UInt8](repeating: 9, count: source)).count, target)
        }
        let row = (0..<50).map { UInt8(($0 * 37) % 256) }
        XCTAssertEqual(LanczosResizer(sourceWidth: 50, targetWidth: 50).resize(row), row)
    }

    func testStepEdgeRingsAndClips() {
        // Lanczos overshoots on both sides of a hard edge; clamping must turn that into 0 and 255
        // next to the edge rather than wrapping around.
        let row = [UInt8](repeating: 0, count: 100) + [UInt8](repeating: 255, count: 100)
        let output = LanczosResizer(sourceWidth: 200, targetWidth: 150).resize(row)
        XCTAssertEqual(output.first, 0)
        XCTAssertEqual(output.last, 255)
        XCTAssertEqual(output, output.sorted(), "a step downscaled by 4/3 should stay monotone once clipped")
    }
}
