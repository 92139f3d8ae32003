import FramesCore
import XCTest

final class ImageLogParserTests: XCTestCase {
    private func parse(_ text: String, chunkSize: Int = 7) throws -> (rows: [ImageLogRow], errors: [CSVDataError], parser: ImageLogParser) {
        let parser = ImageLogParser()
        var rows: [ImageLogRow] = [], errors: [CSVDataError] = []
        let bytes = Array(text.utf8)
        var lines: [ImageLogParser.Line] = []
        // Small chunks put line and cell boundaries across feeds.
        for start in stride(from: 0, to: bytes.count, by: chunkSize) {
            lines += try parser.feed(Array(bytes[start..<min(start + chunkSize, bytes.count)]))
        }
        lines += try parser.finish()
        for line in lines {
            switch line {
            case .row(let row): rows.append(row)
            case .invalid(let error): errors.append(error)
            }
        }
        return (rows, errors, parser)
    }

    func testReadsWidthFromHeaderAndRowsInOrder() throws {
        let result = try parse("depth,a,b,c\n1.5,1,2,3\n2.5,4,5,6\n")
        XCTAssertEqual(result.parser.width, 3)
        XCTAssertEqual(result.rows, [ImageLogRow(line: 2, depth: 1.5, pixels: [1, 2, 3]),
                                     ImageLogRow(line: 3, depth: 2.5, pixels: [4, 5, 6])])
    }

    func testBomCrlfDecimalCellsAndNoFinalNewline() throws {
        for size in [1, 3, 64] {
            let result = try parse("\u{FEFF}depth,c1,c2\r\n10,224.0,0\r\n11, 7 ,255.00", chunkSize: size)
            XCTAssertEqual(result.rows.map(\.pixels), [[224, 0], [7, 255]])
            XCTAssertTrue(result.errors.isEmpty)
        }
    }

    func testAllEmptyRowIsSkippedAndCounted() throws {
        let result = try parse("depth,c1,c2\n1,1,1\n,,\n")
        XCTAssertEqual(result.rows.count, 1)
        XCTAssertEqual(result.parser.emptyRowsSkipped, 1)
    }

    func testEachBadCellNamesLineAndColumn() throws {
        let cases: [(String, Int, String)] = [
            ("1,1,x", 3, "`x` is not a number"),
            ("1,1,", 3, "empty cell"),
            ("1,256,1", 2, "outside 0–255"),
            ("1,-1,1", 2, "outside 0–255"),
            ("1,2.5,1", 2, "not a whole number"),
            ("1,1", 3, "expected 3 cells, found 2"),
            ("1,1,1,1", 4, "expected 3 cells, found 4"),
            ("nan,1,1", 1, "not finite"),
            ("-inf,1,1", 1, "not finite"),
            ("-2,1,1", 1, "negative"),
            ("abc,1,1", 1, "not a number"),
        ]
        for (line, column, reason) in cases {
            let result = try parse("depth,c1,c2\n\(line)\n")
            XCTAssertEqual(result.errors.count, 1, line)
            XCTAssertEqual(result.errors.first?.line, 2, line)
            XCTAssertEqual(result.errors.first?.column, column, line)
            XCTAssertTrue(result.errors.first?.reason.contains(reason) ?? false, "\(line): \(result.errors)")
        }
    }

    func testDuplicateDepthIsAnError() throws {
        let result = try parse("depth,c1\n1,1\n2,2\n1.0,3\n")
        XCTAssertEqual(result.rows.count, 2)
        XCTAssertEqual(result.errors.map(\.line), [4])
    }

    func testEachErrorGivesTheByteOffsetOfItsCellWhateverTheChunks() throws {
        let text = "\u{FEFF}depth,a,b\r\n1,2,3\r\n2,x,3\n3,4\n4,5,6,7\n1,8,9\n"
        let bytes = Array(text.utf8)
        func offset(of part: String, plus extra: Int) -> Int {
            let needle = Array(part.utf8)
            return bytes.indices.first { bytes[$0...].starts(with: needle) }! + extra
        }
        let expected = [offset(of: ",x,", plus: 1), offset(of: "\n3,4\n", plus: 4), offset(of: ",7\n", plus: 1),
                        offset(of: "\n1,8", plus: 1)]
        for chunkSize in [1, 5, bytes.count] {
            let errors = try parse(text, chunkSize: chunkSize).errors
            XCTAssertEqual(errors.map(\.line), [3, 4, 5, 6])
            XCTAssertEqual(errors.map(\.byteOffset), expected, "chunks of \(chunkSize) bytes")
        }
    }

    func testHeaderErrorsGiveTheByteOffsetOfTheirCell() {
        XCTAssertThrowsError(try parse("depth,a,,b\n1,2,3,4\n")) { error in
            XCTAssertEqual((error as? CSVDataError)?.column, 3)
            XCTAssertEqual((error as? CSVDataError)?.byteOffset, "depth,a,".utf8.count)
        }
    }

    func testLocatedMessageEndsWithTheByteOffset() {
        let error = CSVDataError(line: 3, column: 2, columnName: "a", reason: "empty cell", byteOffset: 27)
        XCTAssertEqual(error.located(in: "a.csv"), "a.csv:3:2: (a) empty cell (byte 27)")
    }

    func testLocatedMessageIsCompilerStyle() {
        let error = CSVDataError(line: 12, column: 5, columnName: "col4", reason: "empty cell")
        XCTAssertEqual(error.located(in: "logs/a.csv"), "logs/a.csv:12:5: (col4) empty cell")
    }

    func testBadHeaderAndEmptyFileAreRejected() {
        XCTAssertThrowsError(try parse("time,c1\n1,1\n"))
        XCTAssertThrowsError(try parse("depth\n1\n"))
        XCTAssertThrowsError(try parse(""))
    }
}
