import XCTest
import Digests
@testable import FramesCore

final class EntityTagTests: XCTestCase {
    private let tag = EntityTag(dataset: "well-12", generation: 42, canonicalQuery: "depth_min=1", hashes: SystemHashes())

    func testTagIsStableAcrossProcesses() {
        // The first 8 bytes of SHA-256("7:well-1211:depth_min=1"), computed independently (Python's
        // hashlib): a hash seeded per process would pass an equality test inside one process but fail here.
        XCTAssertEqual(tag.opaque, "g42-a8196590a72d79fb")
        XCTAssertEqual(tag.headerValue, #""g42-a8196590a72d79fb""#)
    }

    func testEveryInputChangesTheTag() {
        let variants = [
            tag,
            EntityTag(dataset: "well-13", generation: 42, canonicalQuery: "depth_min=1", hashes: SystemHashes()),
            EntityTag(dataset: "well-12", generation: 43, canonicalQuery: "depth_min=1", hashes: SystemHashes()),
            EntityTag(dataset: "well-12", generation: 42, canonicalQuery: "depth_min=2", hashes: SystemHashes()),
            // Moving characters between the dataset and the query must not give the same input.
            EntityTag(dataset: "well-1", generation: 42, canonicalQuery: "2depth_min=1", hashes: SystemHashes()),
            EntityTag(dataset: "well-12", generation: -42, canonicalQuery: "depth_min=1", hashes: SystemHashes()),
        ]
        XCTAssertEqual(Set(variants.map(\.opaque)).count, variants.count)
    }

    func testIfNoneMatch() {
        let opaque = tag.opaque
        let matching = [
            "\"\(opaque)\"",
            "W/\"\(opaque)\"",
            "*",
            "\"other\", \"\(opaque)\"",
            "\"a,b\" ,W/\"\(opaque)\"",
            "  \t\"\(opaque)\"  ",
        ]
        for header in matching {
            XCTAssertTrue(tag.matches(ifNoneMatch: header), header)
        }
        let notMatching = [
            "",
            "\"other\"",
            "\(opaque)",                        // unquoted: malformed
            "\"\(opaque)",                      // unterminated
            "\"\(opaque)x\"",
            "\"x\(opaque)\"",
            "\"a,\(opaque)\"",                  // the tag appears only inside another tag
            "w/\"\(opaque)\"",                  // the weak prefix is case-sensitive
        ]
        for header in notMatching {
            XCTAssertFalse(tag.matches(ifNoneMatch: header), header)
        }
    }

    func testTagFromFrameQueryIgnoresSpellingOfTheSameQuery() throws {
        let a = try FrameQuery(queryString: "depth_min=1.0&depth_max=2", accept: nil)
        let b = try FrameQuery(queryString: "depth_max=2.00&depth_min=1", accept: "*/*")
        XCTAssertEqual(EntityTag(dataset: "d", generation: 1, canonicalQuery: a.canonicalKey, hashes: SystemHashes()),
                       EntityTag(dataset: "d", generation: 1, canonicalQuery: b.canonicalKey, hashes: SystemHashes()))
    }
}
