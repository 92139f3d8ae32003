@testable import FastCGICommand
import FramesCore
import XCTest

/// The query string is decoded once and parsed by the route's query type; its errors are 400s.
final class QueryTests: XCTestCase {
    func testARouteWithoutParametersRefusesAnyAndSaysSo() {
        assertProblem(WebLayer().get("/health?verbose=1"), 400, "unknown parameter 'verbose'; this resource takes no parameters")
    }

    func testUnknownFramesParametersListTheKnownOnes() {
        let answer = WebLayer().get("/frames?depthmin=1&depth_max=2")
        XCTAssertEqual(answer.status, 400)
        XCTAssertEqual(answer.detail, "unknown parameter 'depthmin'; known parameters: "
                       + FrameQuery.parameterNames.joined(separator: ", "))
    }

    func testEveryQueryTypeRefusesWhatItDoesNotList() {
        let web = WebLayer.withWell(frames: 3)
        let targets = [("/frames?depth_min=1&depth_max=2&", FrameQuery.parameterNames),
                       ("/statistics?", StatisticsQuery.parameterNames),
                       ("/colormaps/gray.png?", ColorBarQuery.parameterNames),
                       ("/datasets/well?", DatasetQuery.parameterNames),
                       ("/datasets/well/changes?from=1&to=1&", ChangesQuery.parameterNames),
                       ("/datasets/well/generations?", EmptyQuery.parameterNames)]
        for (target, names) in targets {
            let answer = web.get(target + "zzz=1")
            XCTAssertEqual(answer.status, 400, target)
            XCTAssertTrue(answer.detail?.hasSuffix(names.isEmpty ? "this resource takes no parameters"
                                                                 : "known parameters: " + names.joined(separator: ", ")) == true,
                          "\(target): \(answer.detail ?? "")")
        }
    }

    func testARepeatedParameterIsRefused() {
        assertProblem(WebLayer().get("/frames?depth_min=1&depth_max=2&depth_max=3"), 400, "parameter 'depth_max' is given more than once")
    }

    func testABadPercentEscapeIsAMalformedQuery() {
        assertProblem(WebLayer().get("/frames?depth_min=%zz"), 400, "malformed query string: invalid percent-encoding in 'depth_min=%zz'")
    }

    func testATokenInTheQueryIsRefusedEvenWithoutAuth() {
        for name in ["token", "api_key", "key"] {
            let answer = WebLayer().get("/health?\(name)=frames_x")
            XCTAssertEqual(answer.status, 400, name)
            XCTAssertTrue(answer.detail?.contains("('\(name)')") == true, answer.detail ?? "")
        }
    }

    func testOneOrderRuleForTheValueWindow() {
        let web = WebLayer.withWell(frames: 3)
        for (target, blamed) in [("/frames?depth_min=0&depth_max=1&vmin=300", "vmin"),
                                 ("/frames?depth_min=0&depth_max=1&vmin=9&vmax=1", "vmax"),
                                 ("/frames?depth_min=0&depth_max=1&vmin=p60&vmax=p40", "vmax"),
                                 ("/colormaps/gray.png?vmin=300", "vmin"),
                                 ("/colormaps/gray.png?vmin=9&vmax=1", "vmax")] {
            let answer = web.get(target)
            XCTAssertEqual(answer.status, 400, target)
            XCTAssertTrue(answer.detail?.hasPrefix("vmin (") == true, "\(target): \(answer.detail ?? "")")
            XCTAssertTrue(answer.detail?.contains(blamed) == true, target)
        }
        XCTAssertEqual(web.get("/colormaps/gray.png?vmin=7&vmax=7").status, 200, "an empty window is matplotlib's too")
    }

    func testChangesNeedBothGenerations() {
        let web = WebLayer.withWell(frames: 3)
        let answer = web.get("/datasets/well/changes?from=1")
        XCTAssertEqual(answer.status, 400)
        XCTAssertEqual(answer.detail, "changes need from=G1 and to=G2, two generations of the dataset")
        XCTAssertEqual(web.get("/datasets/well/changes?from=0&to=1").detail, "from must be a positive whole number, got '0'")
    }
}
