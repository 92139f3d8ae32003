import FramesCore
import XCTest

final class LogRecordTests: XCTestCase {
    func testOneJSONObjectWithFixedKeysFirstAndEscapedText() throws {
        let record = LogRecord(timestamp: "2026-11-26T12:00:00.000Z", level: "info", message: "line\none \"quoted\"",
                               module: "frames_fcgi", function: "serve()", line: 42,
                               fields: [("request_id", .string("abc")), ("status", .int(200)),
                                        ("duration_ms", .double(1.5)), ("cached", .bool(false))])
        let text = record.rendered()
        XCTAssertFalse(text.contains("\n"), "one line per record")
        XCTAssertTrue(text.hasPrefix(#"{"timestamp":"2026-11-26T12:00:00.000Z","level":"info","message":"line\none \"quoted\"","#))
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        XCTAssertEqual(object["message"] as? String, "line\none \"quoted\"")
        XCTAssertEqual(object["line"] as? Int, 42)
        XCTAssertEqual(object["status"] as? Int, 200)
        XCTAssertEqual(object["duration_ms"] as? Double, 1.5)
        XCTAssertEqual(object["cached"] as? Bool, false)
        XCTAssertEqual(object["request_id"] as? String, "abc")
    }
}
