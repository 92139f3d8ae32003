import FramesCore
import XCTest

final class SampleImageLogTests: XCTestCase {
    func testSampleParsesBackAsAValidImageLog() throws {
        let parser = ImageLogParser()
        var lines: [ImageLogParser.Line] = []
        try SampleImageLog(rows: 300).write { chunk in lines += try parser.feed(Array(chunk.utf8)) }
        lines += try parser.finish()
        let rows = lines.compactMap { line -> ImageLogRow? in
            guard case .row(let row) = line else { XCTFail("\(line)"); return nil }
            return row
        }
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
