import ProcessSupport
import XCTest

/// `--version` and the Debian package must name the same release: the package's comes from VERSION.
final class VersionTests: XCTestCase {
    func testBinariesPrintTheVersionOfTheVersionFile() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let file = try String(contentsOf: root.appendingPathComponent("VERSION"), encoding: .utf8)
        XCTAssertEqual(FramesVersion.string, file.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
