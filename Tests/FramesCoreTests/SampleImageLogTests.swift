import FramesCore
import XCTest

final class SampleImageLogTests: XCTestCase {
    func testSampleParsesBackAsAValidImageLog() throws {
        let parser = ImageLogParser()
        var rows: [ImageLogRow] = []
        try SampleImageLog(rows: 300).write { chunk in
            try parser.feed(Array(chunk.utf8)) { line in
                guard case .row(let row) = line else { return XCTFail("\(line)") }
                rows.append(row)
            }
        }
        try parser.finish { _ in }
        XCTAssertEqual(parser.width, 200)
        XCTAssertEqual(rows.count, 300)
        XCTAssertEqual(rows.first?.depth, 9000.1)
        XCTAssertEqual(rows.last?.depth, 9030.0)
        let pixels = rows.flatMap(\.pixels)
        XCTAssertGreaterThanOrEqual(pixels.min()!, 13)
        XCTAssertLessThanOrEqual(pixels.max()!, 237)
        // A texture, not a flat field: rows differ and each row varies.
        XCTAssertGreaterThan(Set(rows.map(\.pixels)).count, 250)
        XCTAssertGreaterThan(RowStatistics(of: rows[0].pixels).std, 5)
    }
}
