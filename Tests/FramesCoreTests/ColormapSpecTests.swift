import XCTest
@testable import FramesCore

final class ColormapSpecTests: XCTestCase {
    let fixture = ColormapFixture.shared

    func testCustomSpecsMatchFromList() throws {
        XCTAssertGreaterThanOrEqual(fixture.custom.count, 10)
        XCTAssertTrue(fixture.custom.contains { $0.spec.split(separator: ",").count == 256 })
        for c in fixture.custom {
            let label = String(c.spec.prefix(60))
            let spec = try ColormapSpec(parsing: c.spec)
            XCTAssertNil(ColormapFixture.firstDifference(spec.table(), ColormapFixture.bytes(c.rgb)), label)
            XCTAssertNil(ColormapFixture.firstDifference(spec.reversed().table(), ColormapFixture.bytes(c.reversed)), label + " reversed")
            let colormap = try ColormapRegistry.builtin.resolve(name: nil, colors: c.spec)
            XCTAssertEqual(colormap.name, ColormapRegistry.customName)
            XCTAssertEqual(colormap.table, spec.table())
            XCTAssertEqual(colormap.reversed().table, ColormapFixture.bytes(c.reversed), label)
        }
    }

    func testHexForms() throws {
        let expected = try ColormapSpec(parsing: "ff8800,000000").table()
        for text in ["#FF8800,#000000", "f80,000", "#F80, #000", "  Ff8800 ,\t000000 "] {
            XCTAssertEqual(try ColormapSpec(parsing: text).table(), expected, text)
        }
        let stop = try ColormapSpec(parsing: "#abc,fff").stops[0]
        XCTAssertEqual(stop.red, Double(0xaa) / 255)
        XCTAssertEqual(stop.green, Double(0xbb) / 255)
        XCTAssertEqual(stop.blue, Double(0xcc) / 255)
    }

    func testEvenPositionsAreNumpyLinspace() throws {
        let stops = try ColormapSpec(parsing: "000,111,222,333,444,555,666").stops
        XCTAssertEqual(stops.map(\.position), (0..<7).map { $0 == 6 ? 1.0 : Double($0) * (1.0 / 6.0) })
    }

    private func assertError(_ spec: String, _ expected: ColormapError, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try ColormapSpec(parsing: spec), file: file, line: line) { error in
            XCTAssertEqual(error as? ColormapError, expected, spec, file: file, line: line)
            XCTAssertFalse((error as? ColormapError)?.message.isEmpty ?? true, file: file, line: line)
        }
    }

    func testBadHex() {
        assertError("ff0000,zz0000", .badHex(index: 1, text: "zz0000"))
        assertError("ff0000,#ff00", .badHex(index: 1, text: "#ff00"))
        assertError("ff00000,000", .badHex(index: 0, text: "ff00000"))
        assertError("ff0000,,00ff00", .badHex(index: 1, text: ""))
        assertError("ff0000,00ff00,", .badHex(index: 2, text: ""))
        assertError("+ff,000", .badHex(index: 0, text: "+ff"))
        assertError("#,000", .badHex(index: 0, text: "#"))
        assertError("##fff,000", .badHex(index: 0, text: "##fff"))
        assertError("red,blue", .badHex(index: 0, text: "red"))
        assertError("0:ff0000,1:", .badHex(index: 1, text: ""))
        XCTAssertEqual(ColormapError.badHex(index: 3, text: "xyz").message,
                       "color at index 3: \"xyz\" is not RRGGBB, #RRGGBB, RGB or #RGB hex")
    }

    func testBadPositions() {
        assertError("0.5:ff0000,1:00ff00", .badPosition(index: 0, text: "0.5", reason: "the first position must be 0"))
        assertError("0:ff0000,0.9:00ff00", .badPosition(index: 1, text: "0.9", reason: "the last position must be 1"))
        assertError("0:ff0000,abc:00ff00,1:0000ff", .badPosition(index: 1, text: "abc", reason: "not a number"))
        assertError("0:ff0000,nan:00ff00,1:0000ff", .badPosition(index: 1, text: "nan", reason: "not a number"))
        assertError("0:ff0000,inf:00ff00,1:0000ff", .badPosition(index: 1, text: "inf", reason: "not a number"))
        assertError("0:ff0000,0x1p-1:00ff00,1:0000ff", .badPosition(index: 1, text: "0x1p-1", reason: "not a number"))
        assertError("0:ff0000,:00ff00,1:0000ff", .badPosition(index: 1, text: "", reason: "not a number"))
        assertError("0:ff0000,1.5:00ff00,1:0000ff", .badPosition(index: 1, text: "1.5", reason: "must be between 0 and 1"))
        assertError("-0.1:ff0000,1:00ff00", .badPosition(index: 0, text: "-0.1", reason: "must be between 0 and 1"))
        let mixed = "either every color has a position or none does"
        assertError("0:ff0000,00ff00", .badPosition(index: 1, text: "00ff00", reason: mixed))
        assertError("ff0000,0.5:00ff00,0000ff", .badPosition(index: 1, text: "0.5", reason: mixed))
        // Spellings of 0 and 1 that float() also takes are fine.
        XCTAssertNoThrow(try ColormapSpec(parsing: "0.0:000, .5:fff, 1e0:000"))
        XCTAssertNoThrow(try ColormapSpec(parsing: "-0:000,1.:fff"))
    }

    func testNonMonotonicPositions() {
        assertError("0:ff0000,0.6:00ff00,0.4:0000ff,1:ffffff", .nonMonotonicPositions(index: 2, text: "0.4"))
        assertError("0:000,1:fff,0.5:000,1:fff", .nonMonotonicPositions(index: 2, text: "0.5"))
    }

    func testStopCounts() throws {
        assertError("", .tooFewColors(count: 0))
        assertError("   ", .tooFewColors(count: 0))
        assertError("ff0000", .tooFewColors(count: 1))
        assertError("0:ff0000", .tooFewColors(count: 1))
        let many = Array(repeating: "123456", count: 257).joined(separator: ",")
        assertError(many, .tooManyColors(count: 257, limit: 256))
        XCTAssertNoThrow(try ColormapSpec(parsing: Array(repeating: "123456", count: 256).joined(separator: ",")))
        XCTAssertEqual(ColormapError.tooFewColors(count: 1).message, "a colormap needs at least 2 colors, got 1")
    }
}
