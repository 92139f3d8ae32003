import FramesCore
import XCTest

/// The LAS reader against files lasio wrote (and its reading of them), and against text written here for
/// what lasio does not write: LAS 1.2, commas and tabs, comments, errors.
final class LASReaderTests: XCTestCase {
    struct Oracle: Decodable {
        struct Curve: Decodable {
            var mnemonic: String
            var unit: String
            var description: String
        }
        var version: Double
        var wrap: String
        var well: [String: String]
        var curves: [Curve]
        /// lasio's NaN for the file's NULL is nil here.
        var rows: [[Double?]]
    }

    static func read(_ bytes: [UInt8], chunkSize size: Int = 4096, singlePrecision: Bool = false) throws -> (header: LASHeader, rows: [LASRow]) {
        let reader = LASReader(singlePrecision: singlePrecision)
        var events: [LASReader.Event] = []
        for chunk in chunks(bytes, of: size) { events += try reader.feed(chunk) }
        events += try reader.finish()
        var header: LASHeader?
        var rows: [LASRow] = []
        for event in events {
            switch event {
            case .header(let value): header = value
            case .row(let row): rows.append(row)
            }
        }
        return (try XCTUnwrap(header, "no header event"), rows)
    }

    func check(_ name: String) throws {
        let oracle = try fixtureOracle(name, as: Oracle.self)
        for size in [1, 13, 1 << 18] {
            let (header, rows) = try Self.read(fixtureBytes(name, "las"), chunkSize: size)
            XCTAssertEqual(Double(header.version), oracle.version)
            XCTAssertEqual(header.wrap, oracle.wrap == "YES")
            for (mnemonic, value) in oracle.well {
                // lasio gives numbers as floats ("3000.0" for "3000.00000"): those compare as numbers.
                if let number = Double(value) {
                    XCTAssertEqual(header.wellValue(mnemonic).flatMap(Double.init), number, "\(name) \(mnemonic)")
                } else {
                    XCTAssertEqual(header.wellValue(mnemonic), value, "\(name) \(mnemonic)")
                }
            }
            XCTAssertEqual(header.curves.map(\.mnemonic), oracle.curves.map(\.mnemonic))
            XCTAssertEqual(header.curves.map(\.unit), oracle.curves.map(\.unit))
            XCTAssertEqual(header.curves.map(\.description), oracle.curves.map(\.description))
            let null = try XCTUnwrap(header.null)
            let got = rows.map { row in ([row.depth] + row.values).map { $0 == null ? nil : $0 } }
            XCTAssertEqual(got, oracle.rows, "\(name), chunks of \(size)")
        }
    }

    func testUnwrappedImageInMetresDownwards() throws {
        try check("image_unwrapped")
        let (header, rows) = try Self.read(fixtureBytes("image_unwrapped", "las"))
        XCTAssertEqual(header.images, [LASImage(name: "IMG", unit: "ohm.m", valueRange: 0..<12)])
        XCTAssertEqual(header.depthUnit, "M")
        XCTAssertEqual([header.wellName, header.field, header.company, header.uniqueWellID], ["NORTH-7", "TROLL", "ACME LOGGING", "NO-1234"])
        XCTAssertTrue(rows.allSatisfy { $0.values.count == 13 })
    }

    func testWrappedImageInFeetUpwards() throws {
        try check("image_wrapped")
        let (header, rows) = try Self.read(fixtureBytes("image_wrapped", "las"))
        XCTAssertEqual(header.depthUnit, "FT")
        XCTAssertEqual(header.step, -0.25)
        XCTAssertGreaterThan(rows[0].depth, rows[1].depth, "recorded upwards")
        XCTAssertEqual(rows[1].line - rows[0].line, 2, "each depth step takes two lines")
    }

    static let las12 = """
        # LAS 1.2, as old tools wrote it: well values after the colon.
        ~VERSION INFORMATION
         VERS.                  1.2:   CWLS LOG ASCII STANDARD -VERSION 1.2
         WRAP.                  NO:   ONE LINE PER DEPTH STEP
        ~WELL INFORMATION BLOCK
        STRT.F              1670.0000:
        STOP.F              1669.5000:
        STEP.F                -0.2500:
        NULL.                -999.2500:
        COMP.       COMPANY:   ANY OIL COMPANY LTD.
        WELL.          WELL:   ANY ET AL OIL WELL #12
        FLD .         FIELD:   EDAM
        ~CURVE INFORMATION
        DEPT.F                          :   1  DEPTH
        PAD[1].OHMM                     :   2  pad sample
        PAD[2].OHMM                     :   3  pad sample
        PAD[3].OHMM                     :   4  pad sample
        CALI.IN                         :   5  caliper
        ~PARAMETER INFORMATION
        BHT .DEGC              35.5000:   BOTTOM HOLE TEMPERATURE
        ~Other
        Note: the data uses commas and tabs.
        ~A  DEPTH     PAD1     PAD2    PAD3    CALI
        1670.000,   123.450, 2550.000,  -999.25, 8.5
        1669.750\t123.450\t2550.000\t12.5\t8.25
        # a comment between depth steps
        1669.500  -999.25  -999.25  3  8.75\r

        """

    func testLAS12WithCommasTabsCommentsAndCarriageReturns() throws {
        let (header, rows) = try Self.read(Array(Self.las12.utf8), chunkSize: 7)
        XCTAssertEqual(header.version, "1.2")
        XCTAssertEqual(header.wellName, "ANY ET AL OIL WELL #12", "LAS 1.2 puts the value after the colon")
        XCTAssertEqual(header.company, "ANY OIL COMPANY LTD.")
        XCTAssertEqual(header.field, "EDAM")
        XCTAssertEqual(header.null, -999.25)
        XCTAssertEqual(header.start, 1670)
        XCTAssertEqual(header.parameters.first?.value, "35.5000")
        XCTAssertEqual(header.other, ["Note: the data uses commas and tabs."])
        XCTAssertEqual(header.images, [LASImage(name: "PAD", unit: "OHMM", valueRange: 0..<3)], "k from 1 is as good as from 0")
        XCTAssertEqual(rows.map(\.depth), [1670, 1669.75, 1669.5])
        XCTAssertEqual(rows.map(\.values), [[123.45, 2550, -999.25, 8.5], [123.45, 2550, 12.5, 8.25], [-999.25, -999.25, 3, 8.75]])
        XCTAssertEqual(rows.map(\.line), [24, 25, 27])
    }

    func testSinglePrecisionRoundsTheTextOnce() throws {
        // Just above the midpoint 1 + 2⁻²⁴ between two Floats: the nearest Float is 1 + 2⁻²³, but the nearest
        // Double is the midpoint itself, which then rounds to the even Float, 1.
        let text = "~V\nVERS. 2.0 :\n~C\nDEPT.M :\nV.u :\n~A\n1.0000000596046448 1.0000000596046448\n"
        let single = try Self.read(Array(text.utf8), singlePrecision: true).rows[0]
        XCTAssertEqual(single.values, [Double(Float(1) + Float(1).ulp)])
        XCTAssertEqual(single.depth, 1.0000000596046448, "the depth stays a Double")
        let double = try Self.read(Array(text.utf8)).rows[0]
        XCTAssertEqual(Float(double.values[0]), 1, "through a Double, the same text lands on the other Float")
    }

    func testImagesAreRunsOfConsecutiveElements() throws {
        func images(_ names: [String]) throws -> [LASImage] {
            let curves = (["DEPT"] + names).map { "\($0).u : curve" }.joined(separator: "\n")
            return try Self.read(Array("~V\nVERS. 2.0 :\n~C\n\(curves)\n~A\n".utf8)).header.images
        }
        XCTAssertEqual(try images(["A[0]", "A[1]", "A[3]", "A[4]", "B[0]", "GR", "C[5]"]).map(\.valueRange), [0..<2, 2..<4],
                       "a gap in k starts another image; a single element is no image")
        XCTAssertEqual(try images(["A[0]", "B[1]", "A[1]"]), [])
    }

    func assertError(_ text: String, line: Int, saying words: String, file: StaticString = #filePath, lineNumber: UInt = #line) {
        XCTAssertThrowsError(try Self.read(Array(text.utf8)), file: file, line: lineNumber) { error in
            guard let error = error as? LASError else { return XCTFail("\(error) is not a LASError", file: file, line: lineNumber) }
            XCTAssertEqual(error.line, line, "\(error)", file: file, line: lineNumber)
            XCTAssertTrue(error.reason.contains(words), "\(error) does not say \(words)", file: file, line: lineNumber)
        }
    }

    func testBadFilesNameTheLineAndWhatWasExpected() throws {
        let lines = Self.las12.split(separator: "\n", omittingEmptySubsequences: false)
        func replacing(_ number: Int, with text: String) -> String {
            var copy = lines
            copy[number - 1] = Substring(text)
            return copy.joined(separator: "\n")
        }
        assertError(replacing(25, with: "1669.750 1 2 3"), line: 25, saying: "expected 5 values")
        assertError(replacing(25, with: "1669.750 1 2 x3 4"), line: 25, saying: "value 4 (PAD[3]) is not a number")
        assertError(replacing(25, with: "1669.750 1 2 3 4 5"), line: 25, saying: "more than the 5 values")
        assertError(replacing(3, with: " VERS. 3.0 : LAS 3"), line: 3, saying: "reads 1.2 and 2.0")
        assertError(replacing(4, with: " WRAP. MAYBE : ?"), line: 4, saying: "expected YES or NO")
        assertError(replacing(10, with: "COMP COMPANY ANY OIL"), line: 10, saying: "no period")
        assertError(lines[..<20].joined(separator: "\n"), line: 20, saying: "ends before its ~A")
        assertError("DEPT 1 2 3\n", line: 1, saying: "expected the ~V section")
        assertError("", line: 1, saying: "no ~V section")
        let wrapped = replacing(4, with: " WRAP. YES : wrapped").split(separator: "\n").dropLast(1).joined(separator: "\n") + "\n1669.5 1 2\n"
        assertError(wrapped, line: 27, saying: "ends inside the depth step of line 27")
    }
}
