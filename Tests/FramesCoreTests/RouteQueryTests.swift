import Digests
import FramesCore
import XCTest

/// The query types of the dataset routes, the rules they share, and the one conditional-GET helper.
final class RouteQueryTests: XCTestCase {
    private func parameters(_ query: String) -> [QueryParameter] { try! QueryString.decode(query) }

    func testEmptyQueryRefusesAnyNameOnce() {
        XCTAssertNoThrow(try EmptyQuery(parameters: []))
        XCTAssertThrowsError(try EmptyQuery(parameters: parameters("a=1&a=2&b"))) { error in
            XCTAssertEqual(error as? RequestError, .unknownParameters(names: ["a", "b"], allowed: []))
        }
    }

    func testDatasetQueryTakesAGeneration() throws {
        XCTAssertNil(try DatasetQuery(parameters: []).generation)
        XCTAssertEqual(try DatasetQuery(parameters: parameters("generation=4")).generation, 4)
        assertBadParameter("generation", "zero") { () throws(RequestError) in try DatasetQuery(parameters: parameters("generation=0")) }
    }

    func testChangesQueryNeedsBothEndsAndBlamesTheMissingOne() throws {
        let query = try ChangesQuery(parameters: parameters("to=3&from=2"))
        XCTAssertEqual([query.from, query.to], [2, 3])
        assertBadParameter("to", "no to") { () throws(RequestError) in try ChangesQuery(parameters: parameters("from=2")) }
        assertBadParameter("from", "no from") { () throws(RequestError) in try ChangesQuery(parameters: parameters("to=2")) }
        assertBadParameter("to", "not a number") { () throws(RequestError) in try ChangesQuery(parameters: parameters("from=1&to=x")) }
    }

    func testUnknownNamesComeBeforeARepeat() {
        XCTAssertThrowsError(try QueryValues.unique(parameters("a=1&a=2&zz=1"), allowed: ["a"])) { error in
            XCTAssertEqual(error as? RequestError, .unknownParameters(names: ["zz"], allowed: ["a"]))
        }
        XCTAssertThrowsError(try QueryValues.unique(parameters("a=1&a=2"), allowed: ["a"])) { error in
            XCTAssertEqual(error as? RequestError, .repeatedParameter(name: "a"))
        }
    }

    func testTheValueWindowFillsAMissingEndFromItsDefault() {
        XCTAssertNoThrow(try ValueWindow.values.checkOrder(vmin: 255, vmax: nil))
        XCTAssertNoThrow(try ValueWindow.values.checkOrder(vmin: 4, vmax: 4))
        XCTAssertThrowsError(try ValueWindow.values.checkOrder(vmin: 256, vmax: nil)) { error in
            XCTAssertEqual(error as? RequestError, .badParameter(
                name: "vmin", detail: "vmin (256.0) must not exceed vmax (255.0, the default)"))
        }
        XCTAssertThrowsError(try ValueWindow.percentiles.checkOrder(vmin: 60, vmax: 40)) { error in
            XCTAssertEqual(error as? RequestError, .badParameter(name: "vmax", detail: "vmin (p60.0) must not exceed vmax (p40.0)"))
        }
    }

    func testTheColourBarFollowsTheSameRuleAsFrames() {
        for query in ["vmin=300", "vmax=-1", "vmin=3&vmax=2"] {
            let bar = Result { () throws(RequestError) in try ColorBarQuery(queryString: query) }
            let frames = Result { () throws(RequestError) in try FrameQuery(queryString: "depth_min=0&depth_max=1&" + query, accept: nil) }
            guard case .failure(let barError) = bar, case .failure(let framesError) = frames else {
                return XCTFail("\(query): accepted")
            }
            XCTAssertEqual(barError, framesError, query)
        }
    }

    func testAConditionalRequestMatchesOnlyItsTag() {
        let tag = EntityTag(dataset: "a", generation: 1, canonicalQuery: "q", hashes: SystemHashes())
        let caching = Caching.validated(tag, maxAge: 5, variesWithAccept: false)
        XCTAssertNil(ConditionalRequest(ifNoneMatch: nil).notModified(caching))
        XCTAssertNil(ConditionalRequest(ifNoneMatch: "\"nope\"").notModified(caching))
        XCTAssertNil(ConditionalRequest(ifNoneMatch: "*").notModified(.noStore), "nothing to match without a tag")
        guard case .notModified(let kept)? = ConditionalRequest(ifNoneMatch: tag.headerValue).notModified(caching) else {
            return XCTFail("the tag's own value is not modified")
        }
        XCTAssertEqual(kept, caching)
    }

    func testEachTemplateListsItsStatuses() {
        let codes = { (template: Route.Template) in template.statuses.map(\.code) }
        XCTAssertFalse(codes(.health).contains(401), "/health needs no key")
        XCTAssertTrue(codes(.ready).contains(503))
        XCTAssertEqual(Set(codes(.frames)), [200, 204, 304, 400, 401, 403, 404, 429, 500, 503])
        XCTAssertFalse(codes(.datasets).contains(304), "the dataset list is never cached")
        for template in Route.Template.allCases {
            XCTAssertEqual(Set(codes(template)).count, codes(template).count, "\(template): each status once")
        }
    }
}
