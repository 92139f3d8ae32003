import Foundation
import XCTest

/// The bytes of `Fixtures/NAME.EXT`, written by tools/fixtures/make_welllog_fixtures.py.
func fixtureBytes(_ name: String, _ ext: String) throws -> [UInt8] {
    let url = try XCTUnwrap(Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Fixtures"),
                            "missing fixture \(name).\(ext): run tools/fixtures/make_welllog_fixtures.py")
    return Array(try Data(contentsOf: url))
}

/// What the oracle (dlisio or lasio) read from `Fixtures/NAME.EXT`, from NAME.json beside it.
func fixtureOracle<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
    let url = try XCTUnwrap(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"))
    return try JSONDecoder().decode(type, from: Data(contentsOf: url))
}

/// `bytes` cut into chunks of `size`, as a reader of a file hands them over.
func chunks(_ bytes: [UInt8], of size: Int) -> [ArraySlice<UInt8>] {
    stride(from: 0, to: bytes.count, by: size).map { bytes[$0..<min($0 + size, bytes.count)] }
}
