import FramesCore
import XCTest

final class Base64URLTests: XCTestCase {
    func testEveryLengthRoundTrips() {
        for count in 0..<40 {
            let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 * 37 + 250) }
            XCTAssertEqual(Base64URL.decode(base64URL(bytes)), bytes, "\(count) bytes")
        }
        XCTAssertEqual(Base64URL.decode("-_8"), [0xFB, 0xFF])
    }

    func testOnlyTheOneSpellingIsAccepted() {
        for text in ["AQ==", "AQ=", "+/8", "A Q", "A", "AQAB\n", "AR", "AQF", "€"] {
            XCTAssertNil(Base64URL.decode(text), text)
        }
        XCTAssertEqual(Base64URL.decode("AQ"), [1])
        XCTAssertEqual(Base64URL.decode("AQE"), [1, 1])
        XCTAssertEqual(Base64URL.decode("AQA"), [1, 0])
    }
}
