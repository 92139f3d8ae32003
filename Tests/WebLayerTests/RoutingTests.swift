@testable import FastCGICommand
import FramesCore
import ProcessSupport
import XCTest

/// Which route answers, and what a request that matches none, or uses another method, gets.
final class RoutingTests: XCTestCase {
    func testUnknownPathIsAProblemNamingThePath() {
        let answer = WebLayer().get("/nope?x=1")
        XCTAssertEqual(answer.status, 404)
        XCTAssertEqual(answer.header("Content-Type"), "application/problem+json")
        XCTAssertEqual(answer.detail, "no resource at '/nope'")
        XCTAssertNil(answer.summary.route)
    }

    func testAnotherMethodOnAKnownPathIs405WithAllow() {
        let answer = WebLayer().request("POST", "/frames")
        XCTAssertEqual(answer.status, 405)
        XCTAssertEqual(answer.header("Allow"), "GET, HEAD, OPTIONS")
        XCTAssertNil(answer.summary.route, "the metrics count a 405 with the requests that matched no route")
    }

    func testTheSummaryCarriesTheRouteWithItsParameter() {
        let web = WebLayer.withWell(frames: 2)
        XCTAssertEqual(web.get("/datasets/well").summary.route, .dataset(name: "well"))
        XCTAssertEqual(web.get("/datasets/well/generations").summary.route, .generations(name: "well"))
        XCTAssertEqual(web.get("/colormaps/gray.png").summary.route, .colorBar(name: "gray"))
    }

    func testEveryTemplateIsListedOnceWithItsOpenAPIPath() {
        let paths = Route.Template.allCases.map(\.path)
        XCTAssertEqual(Set(paths).count, paths.count)
        XCTAssertTrue(paths.contains("/datasets/{name}/changes"))
        XCTAssertTrue(paths.contains("/colormaps/{name}.png"))
        XCTAssertEqual(Route.Template.dataset.rawValue, "/datasets/*", "the metrics label stays as dashboards know it")
    }

    /// The names a path lists as its query (`Route.Template.query`, which the API's description is checked
    /// against) are the names the handler's parser for that path accepts: an unknown one is refused naming
    /// exactly them.
    func testEachTemplatesQueryIsTheOneItsRequestsAreParsedWith() {
        let web = WebLayer.withWell(frames: 2)
        let concrete: [Route.Template: String] = [
            .colorBar: "/colormaps/gray.png", .dataset: "/datasets/well", .generations: "/datasets/well/generations",
            .changes: "/datasets/well/changes",
        ]
        for template in Route.Template.allCases {
            let path = concrete[template] ?? template.rawValue
            let answer = web.get(path + "?zz_unknown=1")
            XCTAssertEqual(answer.status, 400, path)
            let names = template.query.parameterNames
            let known = names.isEmpty ? "this resource takes no parameters" : "known parameters: " + names.joined(separator: ", ")
            XCTAssertEqual(answer.detail, "unknown parameter 'zz_unknown'; " + known, path)
        }
    }

    func testEachResolvedRouteHasItsTemplate() throws {
        let samples = ["/": Route.Template.root, "/health": .health, "/ready": .ready, "/frames": .frames,
                       "/colormaps": .colormaps, "/datasets": .datasets, "/statistics": .statistics,
                       "/colormaps/jet.png": .colorBar, "/datasets/a": .dataset, "/datasets/a/generations": .generations,
                       "/datasets/a/changes": .changes]
        XCTAssertEqual(samples.count, Route.Template.allCases.count, "a sample for every template")
        for (path, template) in samples {
            XCTAssertEqual(try Route(method: "GET", uri: path).template, template, path)
        }
    }

    func testTheIndexAnswersTheRoot() {
        let answer = WebLayer().get("/")
        XCTAssertEqual(answer.status, 200)
        XCTAssertEqual(answer.header("Cache-Control"), "no-store")
        XCTAssertEqual(answer.text, String(decoding: ServiceDocuments.index(version: FramesVersion.string), as: UTF8.self))
    }
}
