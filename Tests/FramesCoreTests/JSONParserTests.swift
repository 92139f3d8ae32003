import FramesCore
import XCTest

final class JSONParserTests: XCTestCase {
    private func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

    func testDocumentsParse() throws {
        XCTAssertEqual(try parse(#" {"a": [1, -2.5e3, 0, true, false, null], "b": {}, "c": []} "#),
                       .object(["a": .array([.number(1), .number(-2500), .number(0), .bool(true), .bool(false), .null]),
                                "b": .object([:]), "c": .array([])]))
        XCTAssertEqual(try parse(#""tab\tquote\"slash\/back\\ \u00e9\ud83d\ude00 é""#), .string("tab\tquote\"slash/back\\ é😀 é"))
        XCTAssertEqual(try parse("1800000000"), .number(1_800_000_000))
        XCTAssertEqual(try parse(#"{"exp":1800000000.5}"#)["exp"]?.number, 1_800_000_000.5)
    }

    func testWhatIsNotStrictJSONIsRefusedWithItsOffset() {
        let cases: [(String, Int, String)] = [
            ("", 0, "a value is missing"),
            ("{} {}", 3, "text after the value"),
            (#"{"a":1,}"#, 7, "a member name must be a string"),
            ("[1,]", 3, "not a JSON value"),
            (#"{"a":1,"a":2}"#, 7, "the member 'a' is given more than once"),
            ("01", 1, "text after the value"),
            ("1.", 2, "a fraction needs digits"),
            ("1e", 2, "an exponent needs digits"),
            ("-", 0, "not a JSON value"),
            ("+1", 0, "not a JSON value"),
            ("NaN", 0, "not a JSON value"),
            ("1e999", 0, "a number out of range"),
            ("tru", 0, "not a JSON value"),
            ("\"a\u{01}\"", 2, "a control character must be escaped in a string"),
            (#""\x""#, 3, "an unknown escape"),
            (#""\ud83d""#, 7, "a lone high surrogate"),
            (#""\ude00""#, 7, "a lone low surrogate"),
            (#""\u12g4""#, 5, "\\u needs 4 hex digits"),
            (#""open"#, 5, "a string is not closed"),
            ("'a'", 0, "not a JSON value"),
        ]
        for (text, offset, reason) in cases {
            XCTAssertThrowsError(try parse(text), text) { error in
                XCTAssertEqual((error as? JSONParseError)?.offset, offset, text)
                XCTAssertEqual((error as? JSONParseError)?.reason, reason, text)
            }
        }
        XCTAssertThrowsError(try JSONParser.parse([0x22, 0xC3, 0x28, 0x22])) { error in
            XCTAssertEqual((error as? JSONParseError)?.reason, "not UTF-8")
        }
    }

    func testNestingIsBounded() {
        XCTAssertNoThrow(try parse(String(repeating: "[", count: 31) + String(repeating: "]", count: 31)))
        XCTAssertThrowsError(try parse(String(repeating: "[", count: 100_000))) { error in
            XCTAssertEqual((error as? JSONParseError)?.reason, "nested deeper than 32")
        }
    }
}
