import XCTest
@testable import FramesCore

final class FrameQueryTests: XCTestCase {
    private func parse(_ query: String, accept: String? = nil) throws(RequestError) -> FrameQuery {
        try FrameQuery(queryString: query, accept: accept)
    }

    private func assertRejected(_ query: String, accept: String? = nil, as expected: RequestError,
                                file: StaticString = #filePath, line: UInt = #line) {
        do {
            let query = try parse(query, accept: accept)
            XCTFail("accepted: \(query)", file: file, line: line)
        } catch {
            XCTAssertEqual(error, expected, file: file, line: line)
        }
    }

    /// Only the parameter name matters for most rejections; details are free text.
    private func assertBadParameter(_ query: String, named name: String,
                                    file: StaticString = #filePath, line: UInt = #line) {
        do {
            let query = try parse(query)
            XCTFail("accepted: \(query)", file: file, line: line)
        } catch {
            guard case .badParameter(let blamed, let detail) = error else {
                return XCTFail("expected badParameter(\(name)), got \(error)", file: file, line: line)
            }
            XCTAssertEqual(blamed, name, file: file, line: line)
            XCTAssertTrue(detail.contains(name), "detail names the parameter: \(detail)", file: file, line: line)
        }
    }

    // MARK: - Query strings

    func testQueryStringDecodesPercentEscapesAndPlus() throws {
        let pairs = try QueryString.decode("a=1&colors=%23ff0000+blue&name=caf%C3%A9&&flag&eq=x=y")
        XCTAssertEqual(pairs, [
            QueryParameter(name: "a", value: "1"),
            QueryParameter(name: "colors", value: "#ff0000 blue"),
            QueryParameter(name: "name", value: "café"),
            QueryParameter(name: "flag", value: ""),
            QueryParameter(name: "eq", value: "x=y"),
        ])
        XCTAssertEqual(try QueryString.decode(""), [])
        XCTAssertEqual(try QueryString.decode("a%2Bb=%2b"), [QueryParameter(name: "a+b", value: "+")])
    }

    func testQueryStringRejectsBrokenEscapesAndNonUTF8() {
        for query in ["a=%zz", "a=%4", "a=%", "b%=1", "a=%FF", "a=%C3"] {
            XCTAssertThrowsError(try QueryString.decode(query), query) { error in
                guard case .malformedQuery = error as? RequestError else { return XCTFail("\(query): \(error)") }
            }
        }
    }

    // MARK: - Valid queries

    func testMinimalQueryTakesDefaults() throws {
        let query = try parse("depth_min=9000.1&depth_max=9100")
        XCTAssertEqual(query.range, try DepthRange(lower: 9000.1, upper: 9100))
        XCTAssertEqual(query.limit, 10_000)
        XCTAssertEqual(query.format, .json)
        XCTAssertTrue(query.formatNegotiated)
        XCTAssertNil(query.dataset)
        XCTAssertNil(query.colormap)
        XCTAssertNil(query.colors)
        XCTAssertNil(query.vmin)
        XCTAssertNil(query.vmax)
    }

    func testEveryParameterIsCarried() throws {
        let query = try parse("depth_min=1&depth_max=1&limit=25&dataset=well%2012&format=ndjson"
                              + "&colormap=viridis_r&colors=red%2Cblue&vmin=-3.5&vmax=250")
        XCTAssertEqual(query.range.lower, 1)
        XCTAssertEqual(query.range.upper, 1, "an empty-width range is allowed")
        XCTAssertEqual(query.limit, 25)
        XCTAssertEqual(query.dataset, "well 12")
        XCTAssertEqual(query.format, .ndjson)
        XCTAssertFalse(query.formatNegotiated)
        XCTAssertEqual(query.colormap, "viridis_r")
        XCTAssertEqual(query.colors, "red,blue")
        XCTAssertEqual(query.vmin, -3.5)
        XCTAssertEqual(query.vmax, 250)
    }

    func testLimitBounds() throws {
        XCTAssertEqual(try parse("depth_min=0&depth_max=1&limit=1").limit, 1)
        XCTAssertEqual(try parse("depth_min=0&depth_max=1&limit=10000").limit, 10_000)
        for bad in ["0", "10001", "-1", "1.5", "ten", "", "99999999999999999999"] {
            assertBadParameter("depth_min=0&depth_max=1&limit=\(bad)", named: "limit")
        }
    }

    // MARK: - Depths

    func testDepthsAreRequired() {
        assertBadParameter("depth_max=5", named: "depth_min")
        assertBadParameter("depth_min=5", named: "depth_max")
        assertBadParameter("", named: "depth_min")
    }

    func testDepthsMustBeFiniteNonNegativeAndOrdered() {
        for bad in ["nan", "inf", "-inf", "1e400", "abc", "", "1,5"] {
            assertBadParameter("depth_min=\(bad)&depth_max=5", named: "depth_min")
            assertBadParameter("depth_min=0&depth_max=\(bad)", named: "depth_max")
        }
        assertBadParameter("depth_min=-0.5&depth_max=5", named: "depth_min")
        assertBadParameter("depth_min=6&depth_max=5", named: "depth_min")
    }

    // MARK: - Unknown and repeated parameters

    func testUnknownParametersAreNamed() {
        assertRejected("depthmin=1&depth_max=5&colour=red&depthmin=2",
                       as: .unknownParameters(names: ["depthmin", "colour"], allowed: FrameQuery.parameterNames))
    }

    func testRepeatedParameterIsRejected() {
        assertRejected("depth_min=1&depth_max=5&depth_min=1", as: .repeatedParameter(name: "depth_min"))
        assertRejected("depth_min=1&depth_max=5&format=json&format=png", as: .repeatedParameter(name: "format"))
    }

    func testEmptyDatasetIsRejected() {
        assertBadParameter("depth_min=1&depth_max=5&dataset=", named: "dataset")
    }

    // MARK: - Format

    func testExplicitFormatWinsOverAccept() throws {
        XCTAssertEqual(try parse("depth_min=0&depth_max=1&format=json", accept: "image/png").format, .json)
        XCTAssertEqual(try parse("depth_min=0&depth_max=1&format=PNG").format, .png)
        assertBadParameter("depth_min=0&depth_max=1&format=xml", named: "format")
        assertBadParameter("depth_min=0&depth_max=1&format=", named: "format")
    }

    func testAcceptPicksFormatWhenNoneIsGiven() throws {
        let cases: [(String?, FrameFormat)] = [
            (nil, .json),
            ("", .json),
            ("*/*", .json),
            ("image/png", .png),
            ("application/x-ndjson", .ndjson),
            ("application/json", .json),
            ("IMAGE/PNG", .png),
            ("image/*", .png),
            ("text/html", .json),
            ("image/avif,image/webp,image/png,*/*;q=0.8", .png),
            ("image/png,*/*", .png),
            ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", .json),
            ("application/json;q=0.5, application/x-ndjson", .ndjson),
            ("image/png;q=0, */*", .json),
            ("application/json;q=0.2, image/png ; q=0.9", .png),
        ]
        for (accept, expected) in cases {
            let query = try parse("depth_min=0&depth_max=1", accept: accept)
            XCTAssertEqual(query.format, expected, "Accept: \(accept ?? "(none)")")
            XCTAssertTrue(query.formatNegotiated)
        }
    }

    // MARK: - Value window

    func testValueWindow() throws {
        XCTAssertEqual(try parse("depth_min=0&depth_max=1&vmin=10").vmin, 10)
        XCTAssertNil(try parse("depth_min=0&depth_max=1&vmin=10").vmax, "the server fills the other end")
        XCTAssertEqual(try parse("depth_min=0&depth_max=1&vmax=100").vmax, 100)
        assertBadParameter("depth_min=0&depth_max=1&vmin=256", named: "vmin")
        XCTAssertEqual(try parse("depth_min=0&depth_max=1&vmin=10&vmax=10").vmax, 10, "matplotlib accepts an empty window")
        assertBadParameter("depth_min=0&depth_max=1&vmax=-0.5", named: "vmax")
        assertBadParameter("depth_min=0&depth_max=1&vmin=11&vmax=10", named: "vmax")
        assertBadParameter("depth_min=0&depth_max=1&vmin=nan", named: "vmin")
        assertBadParameter("depth_min=0&depth_max=1&vmax=inf", named: "vmax")
        assertBadParameter("depth_min=0&depth_max=1&vmax=", named: "vmax")
    }

    // MARK: - Canonical key

    func testCanonicalKeyNormalizesNumbers() throws {
        let a = try parse("depth_min=9000.10&depth_max=9.1e3&vmin=-0")
        let b = try parse("limit=10000&depth_max=9100&depth_min=9000.1&vmin=0", accept: "application/json")
        XCTAssertEqual(a.canonicalKey, b.canonicalKey)
    }

    func testCanonicalKeyChangesWithEveryBodyParameter() throws {
        let base = "depth_min=1&depth_max=2"
        let variants = [
            base, base + "&limit=5", base + "&format=png", base + "&format=ndjson", base + "&colormap=gray",
            base + "&colors=gray", base + "&colormap=", base + "&vmin=1", base + "&vmax=200",
            "depth_min=1&depth_max=3", "depth_min=0&depth_max=2",
            // Length prefixes keep a separator inside a value from imitating another parameter.
            base + "&colormap=a%26colors%3D1:b", base + "&colormap=a&colors=b",
        ]
        let keys = try variants.map { try parse($0).canonicalKey }
        XCTAssertEqual(Set(keys).count, variants.count, "\(keys)")
        XCTAssertEqual(try parse(base + "&dataset=other").canonicalKey, try parse(base).canonicalKey,
                       "the dataset goes into the ETag separately, resolved")
    }
}
