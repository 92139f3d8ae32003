import FramesCore
import XCTest

final class ServiceDocumentsTests: XCTestCase {
    private func object(_ bytes: [UInt8]) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    func testReadinessSaysWhyItIsNotReady() throws {
        let ready = try object(ServiceDocuments.readiness(timestamp: "t", connected: true, tablesExist: true))
        XCTAssertEqual(ready["status"] as? String, "ready")
        XCTAssertEqual(ready["database"] as? String, "connected")
        let empty = try object(ServiceDocuments.readiness(timestamp: "t", connected: true, tablesExist: false))
        XCTAssertEqual(empty["status"] as? String, "not_ready")
        XCTAssertEqual(empty["tables_exist"] as? Bool, false)
        XCTAssertEqual(empty["connected"] as? Bool, true)
        let down = try object(ServiceDocuments.readiness(timestamp: "t", connected: false, tablesExist: false))
        XCTAssertEqual(down["database"] as? String, "unavailable")
    }

    func testDatasetsListEveryFieldClientsUse() throws {
        let info = DatasetInfo(name: "a\"b", originalWidth: 200, resizedWidth: 150, depthMin: 9000.1, depthMax: 9546,
                               frameCount: 5460, generation: 7)
        let list = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(ServiceDocuments.datasets([info]))) as? [[String: Any]])
        XCTAssertEqual(list.count, 1)
        XCTAssertEqual(list[0]["name"] as? String, "a\"b")
        XCTAssertEqual(list[0]["depth_min"] as? Double, 9000.1)
        XCTAssertEqual(list[0]["frame_count"] as? Int, 5460)
        XCTAssertEqual(list[0]["resized_width"] as? Int, 150)
        XCTAssertEqual(list[0]["generation"] as? Int, 7)
        XCTAssertEqual(ServiceDocuments.datasets([]), Array("[]".utf8))
    }

    func testHealthAndColormapsAreValidJSON() throws {
        XCTAssertEqual(try object(ServiceDocuments.health(timestamp: "now"))["status"] as? String, "healthy")
        let maps = try object(ServiceDocuments.colormaps(["gray", "viridis"], defaultName: "viridis"))
        XCTAssertEqual(maps["colormaps"] as? [String], ["gray", "viridis"])
        let index = try object(ServiceDocuments.index(version: "1.2.3"))
        XCTAssertEqual(index["name"] as? String, "Image Frame API")
        XCTAssertEqual(index["version"] as? String, "1.2.3")
        XCTAssertEqual(index["docs"] as? String, "/docs")
        XCTAssertEqual(index["health"] as? String, "/health")
        let endpoints = try XCTUnwrap(index["endpoints"] as? [String: String])
        XCTAssertNotNil(endpoints["/openapi.json"])
        XCTAssertTrue(endpoints["/statistics"]?.contains("generation=G") == true)
        XCTAssertNotNil(endpoints["/datasets/NAME/changes"])
    }
}
