import Digests
import FramesCore
import XCTest

final class DatasetRouteTests: XCTestCase {
    func testDatasetPathsResolveToTheirRoutes() throws {
        XCTAssertEqual(try Route(method: "GET", uri: "/datasets/img_standin"), .dataset(name: "img_standin"))
        XCTAssertEqual(try Route(method: "HEAD", uri: "/datasets/well-7.2/generations?x=1"), .generations(name: "well-7.2"))
        XCTAssertEqual(try Route(method: "GET", uri: "/datasets/a/changes?from=1&to=2"), .changes(name: "a"))
        XCTAssertEqual(try Route(method: "GET", uri: "/datasets/a/changes").datasetInPath, "a")
        XCTAssertNil(try Route(method: "GET", uri: "/frames?dataset=a").datasetInPath, "a query's dataset is not the path's")
        for path in ["/datasets/", "/datasets/a/b", "/datasets/a%20b", "/datasets/a/generations/x", "/datasets//changes"] {
            XCTAssertThrowsError(try Route(method: "GET", uri: path), path)
        }
    }

    func testAnAnswerAboutAFixedGenerationIsImmutable() {
        let tag = EntityTag(dataset: "a", generation: 3, canonicalQuery: "q", hashes: SystemHashes())
        let fields = Caching.immutable(tag, variesWithAccept: true).fields
        XCTAssertEqual(fields.first { $0.name == "Cache-Control" }?.value, "public, max-age=31536000, immutable")
        XCTAssertEqual(fields.first { $0.name == "Vary" }?.value, "Accept")
        XCTAssertEqual(Caching.immutable(tag, variesWithAccept: false).tag, tag)
        XCTAssertNil(Caching.noStore.tag)
    }

    func testGenerationParameterIsAPositiveWholeNumberAndCombinesWithDisplayOptions() throws {
        XCTAssertEqual(try FrameQuery(queryString: "depth_min=1&depth_max=2&generation=7", accept: nil).generation, 7)
        for bad in ["generation=0", "generation=x"] {
            XCTAssertThrowsError(try FrameQuery(queryString: "depth_min=1&depth_max=2&" + bad, accept: nil), bad) { error in
                XCTAssertEqual((error as? RequestError)?.problem.status.code, 400)
            }
        }
        let displayed = try FrameQuery(queryString: "depth_min=1&depth_max=2&generation=7&height=10", accept: nil)
        XCTAssertEqual(displayed.generation, 7)
        XCTAssertNotEqual(displayed.canonicalKey,
                          try FrameQuery(queryString: "depth_min=1&depth_max=2&height=10", accept: nil).canonicalKey)
    }
}
