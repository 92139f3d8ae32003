import FramesCore
import XCTest

final class ColorBarQueryTests: XCTestCase {
    private func assertBadParameter(_ query: String, named name: String, file: StaticString = #filePath, line: UInt = #line) {
        FramesCoreTests.assertBadParameter(name, query, file: file, line: line) { () throws(RequestError) in
            try ColorBarQuery(queryString: query)
        }
    }

    func testDefaultsAreALongThinBarInEitherOrientation() throws {
        let horizontal = try ColorBarQuery(queryString: "")
        XCTAssertEqual(horizontal.bar, ColorBar(width: 256, height: 16, orientation: .horizontal))
        XCTAssertNil(horizontal.vmin)
        XCTAssertNil(horizontal.colors)
        XCTAssertEqual(try ColorBarQuery(queryString: "orientation=vertical").bar,
                       ColorBar(width: 16, height: 256, orientation: .vertical))
    }

    func testEveryParameterIsCarried() throws {
        let query = try ColorBarQuery(queryString: "width=300&height=20&vmin=10&vmax=99.5&orientation=horizontal"
                                      + "&colors=000000,ffffff")
        XCTAssertEqual(query.bar, ColorBar(width: 300, height: 20, orientation: .horizontal))
        XCTAssertEqual(query.vmin, 10)
        XCTAssertEqual(query.vmax, 99.5)
        XCTAssertEqual(query.colors, "000000,ffffff")
    }

    func testBadValuesNameTheParameter() {
        for bad in ["0", "4097", "-1", "1.5", "", "wide"] {
            assertBadParameter("width=\(bad)", named: "width")
            assertBadParameter("height=\(bad)", named: "height")
        }
        assertBadParameter("orientation=diagonal", named: "orientation")
        assertBadParameter("vmin=nan", named: "vmin")
        assertBadParameter("vmin=p5", named: "vmin")
        assertBadParameter("vmin=200&vmax=100", named: "vmax")
        XCTAssertThrowsError(try ColorBarQuery(queryString: "colour=red")) { error in
            XCTAssertEqual(error as? RequestError,
                           .unknownParameters(names: ["colour"], allowed: ColorBarQuery.parameterNames))
        }
        XCTAssertThrowsError(try ColorBarQuery(queryString: "width=2&width=3")) { error in
            XCTAssertEqual(error as? RequestError, .repeatedParameter(name: "width"))
        }
    }

    func testCanonicalKeyIgnoresSpellingButNotValues() throws {
        XCTAssertEqual(try ColorBarQuery(queryString: "width=0256&vmin=-0").canonicalKey,
                       try ColorBarQuery(queryString: "vmin=0").canonicalKey)
        let variants = ["", "width=255", "height=15", "orientation=vertical", "vmin=1", "vmax=2", "colors=000,fff"]
        let keys = try variants.map { try ColorBarQuery(queryString: $0).canonicalKey }
        XCTAssertEqual(Set(keys).count, variants.count)
    }
}
