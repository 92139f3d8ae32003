import FramesCore
import Foundation
import XCTest

/// `openapi/openapi.json` is kept by hand beside the code it describes; these tests fail when the two
/// drift apart: every path the code resolves, every parameter its parsers accept and every status its
/// answers can have are in the document, and the document names nothing the code does not know.
final class OpenAPIDocumentTests: XCTestCase {
    private static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    /// Answered by nginx from files (`make install` lays them out), not by a worker.
    private static let servedByNginx: Set<String> = ["/openapi.json", "/docs"]
    /// Statuses nginx itself answers on every path before a worker is involved: another method (405), a
    /// URI or header too long (414, 431), the per-address limit (429), a pool that is down (503).
    private static let nginxStatuses: Set<Int> = [405, 414, 429, 431, 503]

    private var document: [String: Any] = [:]

    override func setUpWithError() throws {
        let data = try Data(contentsOf: Self.repository.appendingPathComponent("openapi/openapi.json"))
        document = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    private var paths: [String: [String: Any]] {
        (document["paths"] as? [String: [String: Any]]) ?? [:]
    }

    /// The worker's template behind a documented path; `/colormaps/custom.png` is the colour bar's
    /// path with its one fixed name, documented apart because only it takes `colors`.
    private func template(of path: String) -> Route.Template? {
        if path == "/colormaps/\(ColormapRegistry.customName).png" { return .colorBar }
        return Route.Template.allCases.first { $0.path == path }
    }

    private func getOperation(_ path: String) throws -> [String: Any] {
        try XCTUnwrap(paths[path]?["get"] as? [String: Any], path)
    }

    /// A parameter object, through its `$ref` when it has one.
    private func resolved(_ parameter: [String: Any]) throws -> [String: Any] {
        guard let reference = parameter["$ref"] as? String else { return parameter }
        var node: Any = document
        for part in reference.dropFirst(2).split(separator: "/") {
            node = try XCTUnwrap((node as? [String: Any])?[String(part)], reference)
        }
        return try XCTUnwrap(node as? [String: Any], reference)
    }

    private func queryNames(_ path: String) throws -> Set<String> {
        let parameters = try getOperation(path)["parameters"] as? [[String: Any]] ?? []
        return Set(try parameters.map(resolved).filter { $0["in"] as? String == "query" }.compactMap { $0["name"] as? String })
    }

    func testTheDocumentIsOpenAPI31AtThePackagesVersion() throws {
        XCTAssertEqual(document["openapi"] as? String, "3.1.0")
        let version = try String(contentsOf: Self.repository.appendingPathComponent("VERSION"), encoding: .utf8)
        XCTAssertEqual((document["info"] as? [String: Any])?["version"] as? String,
                       version.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    func testEveryPathTheCodeResolvesIsDocumentedAndNothingElse() {
        for template in Route.Template.allCases {
            XCTAssertNotNil(paths[template.path], "\(template.path) is resolved by the worker but not documented")
        }
        for path in paths.keys where !Self.servedByNginx.contains(path) {
            XCTAssertNotNil(template(of: path), "\(path) is documented but no route resolves it")
        }
    }

    func testEachPathsQueryParametersAreWhatItsParserAccepts() throws {
        var colourBarNames: Set<String> = []
        for path in paths.keys.sorted() {
            guard let template = template(of: path) else { continue }
            let names = try queryNames(path)
            if template == .colorBar {
                colourBarNames.formUnion(names)
                XCTAssertTrue(names.isSubset(of: template.query.parameterNames), path)
            } else {
                XCTAssertEqual(names, Set(template.query.parameterNames), path)
            }
        }
        XCTAssertEqual(colourBarNames, Set(Route.Template.colorBar.query.parameterNames))
    }

    func testEveryStatusAnAnswerCanHaveIsDocumentedAndNoOther() throws {
        for path in paths.keys.sorted() {
            guard let template = template(of: path) else { continue }
            let responses = try XCTUnwrap(try getOperation(path)["responses"] as? [String: Any], path)
            let documented = Set(responses.keys.compactMap(Int.init))
            var produced = Set(template.statuses.map(\.code))
            // The custom map's name always exists: its bar is never a 404.
            if template == .colorBar && path.hasSuffix("/\(ColormapRegistry.customName).png") { produced.remove(404) }
            XCTAssertTrue(produced.isSubset(of: documented),
                          "\(path): \(produced.subtracting(documented).sorted()) can be answered but are not documented")
            XCTAssertTrue(documented.isSubset(of: produced.union(Self.nginxStatuses)),
                          "\(path): \(documented.subtracting(produced.union(Self.nginxStatuses)).sorted()) are documented but never answered")
        }
    }

    func testThePathsThatNeedNoKeySaySo() throws {
        for path in paths.keys.sorted() {
            guard let template = template(of: path) else { continue }
            let operation = try getOperation(path)
            let open = (operation["security"] as? [Any])?.isEmpty == true
            XCTAssertEqual(open, !template.needsKey, "\(path): security in the document against the worker's")
        }
    }
}
