@testable import CommandLineSupport
import XCTest

final class OptionalTextParserTests: XCTestCase {
    func testAnEmptyTextIsNoValueAndOthersMustPassTheCheck() throws {
        let path = SettingParser<String?>.optionalText(expecting: "an absolute path, or nothing") { $0.hasPrefix("/") }
        XCTAssertNil(try path.read(""))
        XCTAssertEqual(try path.read("/etc/frames/jwks.json"), "/etc/frames/jwks.json")
        XCTAssertThrowsError(try path.read("-1"))
        XCTAssertThrowsError(try path.read("jwks.json"))
        XCTAssertEqual(path.expectation, "an absolute path, or nothing")
    }
}
