import FramesCore
import XCTest

final class RowStatisticsTests: XCTestCase {
    private struct Fixture: Decodable {
        struct Case: Decodable {
            var pixels: [UInt8]
            var min: UInt8
            var max: UInt8
            var mean: Double
            var std: Double
        }
        var cases: [Case]
    }

    func testMatchesNumpy() throws {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "row_statistics", withExtension: "json", subdirectory: "Fixtures"))
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
        XCTAssertGreaterThan(fixture.cases.count, 20)
        for (index, expected) in fixture.cases.enumerated() {
            let got = RowStatistics(of: expected.pixels)
            XCTAssertEqual(got.min, expected.min, "case \(index)")
            XCTAssertEqual(got.max, expected.max, "case \(index)")
            XCTAssertEqual(got.mean, expected.mean, accuracy: abs(expected.mean) * 1e-14, "case \(index)")
            XCTAssertEqual(got.std, expected.std, accuracy: max(expected.std, 1) * 1e-12, "case \(index)")
        }
    }
}
