import Foundation
import XCTest

/// Decodes `Fixtures/NAME.json`, written by a generator in tools/fixtures from an independent oracle.
func oracleFixture<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
    let url = try XCTUnwrap(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"),
                            "missing fixture \(name).json: run the generator in tools/fixtures")
    return try JSONDecoder().decode(type, from: Data(contentsOf: url))
}

/// A relative tolerance for values numpy sums in another order (a few ulps).
func assertClose(_ got: Double, _ expected: Double, _ message: @autoclosure () -> String,
                 file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(got, expected, accuracy: Swift.max(abs(expected), 1) * 1e-12, message(), file: file, line: line)
}
