import FramesCore
import Glibc
import ProcessSupport
import XCTest

/// The JWKS file as the timer replaces it: atomically, by a rename over the old one.
final class WatchedFileTests: XCTestCase {
    func testTheFileIsReadAgainOnlyWhenItChanged() throws {
        let directory = String(cString: mkdtemp(strdup("/tmp/watched-XXXXXX"))!)
        defer { _ = system("rm -rf '\(directory)'") }
        let path = directory + "/jwks.json"
        try AtomicFile.write(Array(#"{"keys":[]}"#.utf8), to: path)
        var file = WatchedFile(path: path)
        XCTAssertEqual(try file.read(force: false), Array(#"{"keys":[]}"#.utf8))
        XCTAssertNil(try file.read(force: false))
        XCTAssertEqual(try file.read(force: true), Array(#"{"keys":[]}"#.utf8))
        try AtomicFile.write(Array(#"{"keys":[{}]}"#.utf8), to: path)
        XCTAssertEqual(try file.read(force: false), Array(#"{"keys":[{}]}"#.utf8))
        unlink(path)
        XCTAssertThrowsError(try file.read(force: false)) { error in
            XCTAssertEqual((error as? KeySetLoadError)?.description, "cannot read \(path): No such file or directory")
        }
    }
}
