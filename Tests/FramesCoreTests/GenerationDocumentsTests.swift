import Digests
import FramesCore
import XCTest

final class GenerationDocumentsTests: XCTestCase {
    private let record = GenerationRecord(
        dataset: DatasetInfo(name: "log", originalWidth: 200, resizedWidth: 150, depthMin: 9000.1, depthMax: 9546,
                             frameCount: 5460, generation: 12),
        createdAt: "2026-11-27T00:00:00Z", command: "merge", sourceFile: "/in/log \"b\".csv",
        sourceSHA256: "ab", note: nil, host: "h1", counts: FrameChangeCounts(added: 2, changed: 20, removed: 3),
        pruned: true)

    func testGenerationsCarryTheDatasetFieldsAndTheProvenance() throws {
        let list = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(GenerationDocuments.generations([record, record])))
            as? [[String: Any]])
        XCTAssertEqual(list.count, 2)
        let first = list[0]
        XCTAssertEqual(first["generation"] as? Int, 12)
        XCTAssertEqual(first["frame_count"] as? Int, 5460)
        XCTAssertEqual(first["source_file"] as? String, "/in/log \"b\".csv")
        XCTAssertEqual(first["command"] as? String, "merge")
        XCTAssertTrue(first["note"] is NSNull)
        XCTAssertEqual([first["frames_added"], first["frames_changed"], first["frames_removed"]] as? [Int], [2, 20, 3])
        XCTAssertEqual(first["pruned"] as? Bool, true)
    }

    func testEachChangeIsOneNDJSONLine() throws {
        var out: [UInt8] = []
        GenerationDocuments.appendLine(DepthChange(depth: 9000.1, kind: .removed), to: &out)
        GenerationDocuments.appendLine(DepthChange(depth: 9000.2, kind: .added), to: &out)
        let lines = String(decoding: out, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines, [#"{"depth":9000.1,"change":"removed"}"#, #"{"depth":9000.2,"change":"added"}"#, ""])
    }

    /// The hash covers the resized width (big-endian, two bytes) and then the original pixels, as
    /// `printf '\x00\x96'; bytes 0..199` through `sha256sum` gives.
    func testRowHashIsTheLeadingHalfOfSHA256OverWidthAndPixels() {
        let pixels = (0..<200).map { UInt8($0) }
        XCTAssertEqual(ProcessedFrame.rowHash(originalPixels: pixels, resizedWidth: 150, hashes: SystemHashes()).hexString,
                       "662b3182c67a3c59dadfd4756ca9e2ea")
        XCTAssertNotEqual(ProcessedFrame.rowHash(originalPixels: pixels, resizedWidth: 100, hashes: SystemHashes()),
                          ProcessedFrame.rowHash(originalPixels: pixels, resizedWidth: 150, hashes: SystemHashes()))
    }
}
