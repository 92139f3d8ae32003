@testable import FramesCore
import XCTest

/// Each representation code decoded from bytes worked out by hand from RP66 v1 Appendix B.
final class DLISValueTests: XCTestCase {
    func decode(_ code: DLISRepresentationCode, _ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) throws -> DLISValue {
        var cursor = DLISCursor(DLISLogicalRecord(isExplicit: true, type: 0, body: bytes, pieces: [(0, 1000)]))
        let value = try cursor.value(code)
        XCTAssertTrue(cursor.isAtEnd, "\(code) reads all of its \(bytes.count) bytes", file: file, line: line)
        return value
    }

    func testTextAndNames() throws {
        XCTAssertEqual(try decode(.ident, [3] + Array("ABC".utf8)), .text("ABC"))
        XCTAssertEqual(try decode(.units, [5] + Array("ohm.m".utf8)), .text("ohm.m"))
        // ASCII's length is a UVARI: 0x80 0x83 is the two-byte form of 131.
        let long = String(repeating: "x", count: 131)
        XCTAssertEqual(try decode(.ascii, [0x80, 0x83] + Array(long.utf8)), .text(long))
        let name = DLISObjectName(origin: 2, copy: 1, identifier: "GR")
        XCTAssertEqual(try decode(.obname, [2, 1, 2] + Array("GR".utf8)), .name(name))
        XCTAssertEqual(try decode(.objref, [7] + Array("CHANNEL".utf8) + [2, 1, 2] + Array("GR".utf8)),
                       .reference(type: "CHANNEL", name: name))
        XCTAssertEqual(try decode(.attref, [7] + Array("CHANNEL".utf8) + [2, 1, 2] + Array("GR".utf8) + [5] + Array("UNITS".utf8)),
                       .reference(type: "CHANNEL", name: name))
        // RP66 v1's own example: 9:20:15.620 PM, April 19, 1987, local standard time.
        XCTAssertEqual(try decode(.dtime, [87, 0x04, 19, 21, 20, 15, 0x02, 0x6C]), .time("1987-04-19 21:20:15.620"))
    }

    func testIntegers() throws {
        XCTAssertEqual(try decode(.sshort, [0x80]), .integer(-128))
        XCTAssertEqual(try decode(.snorm, [0x7F, 0xFF]), .integer(32767))
        XCTAssertEqual(try decode(.slong, [0x80, 0, 0, 0]), .integer(-2_147_483_648))
        XCTAssertEqual(try decode(.ushort, [200]), .integer(200))
        XCTAssertEqual(try decode(.unorm, [0x80, 0x01]), .integer(32769))
        XCTAssertEqual(try decode(.ulong, [0x80, 0, 0, 1]), .integer(2_147_483_649))
        XCTAssertEqual(try decode(.uvari, [0x7F]), .integer(127))
        XCTAssertEqual(try decode(.uvari, [0xBF, 0xFF]), .integer(16383))
        XCTAssertEqual(try decode(.origin, [0xFF, 0xFF, 0xFF, 0xFF]), .integer(1_073_741_823))
        XCTAssertEqual(try decode(.status, [1]), .integer(1))
    }

    func testFloats() throws {
        XCTAssertEqual(try decode(.fshort, [0xC0, 0x01]), .real(-1), "−1024/2048 × 2¹")
        XCTAssertEqual(try decode(.fshort, [0x00, 0x0F]), .real(0))
        XCTAssertEqual(try decode(.fsingl, DLISBytes.fsingl(-999.25)), .real(-999.25))
        XCTAssertEqual(try decode(.fsing1, DLISBytes.fsingl(2.5) + DLISBytes.fsingl(0.1)), .real(2.5), "the value, not its bound")
        XCTAssertEqual(try decode(.fsing2, DLISBytes.fsingl(2.5) + DLISBytes.fsingl(0.1) + DLISBytes.fsingl(0.2)), .real(2.5))
        XCTAssertEqual(try decode(.fdoubl, DLISBytes.fdoubl(0.1)), .real(0.1))
        XCTAssertEqual(try decode(.fdoub2, DLISBytes.fdoubl(0.1) + DLISBytes.fdoubl(1) + DLISBytes.fdoubl(2)), .real(0.1))
        XCTAssertEqual(try decode(.csingl, DLISBytes.fsingl(1) + DLISBytes.fsingl(-2)), .complex(real: 1, imaginary: -2))
        XCTAssertEqual(try decode(.isingl, [0, 0, 0, 0]), .real(0))
        XCTAssertEqual(try decode(.isingl, [0x3F, 0x80, 0, 0]), .real(0.03125), "0.5 × 16⁻¹")
        XCTAssertEqual(try decode(.vsingl, [0, 0x40, 0, 0]), .real(0.5), "exponent 128: 0.5 × 2⁰")
        XCTAssertEqual(try decode(.vsingl, [0, 0, 0, 0]), .real(0))
        guard case .real(let reserved) = try decode(.vsingl, [0, 0x80, 0, 0]) else { return XCTFail() }
        XCTAssertTrue(reserved.isNaN, "the VAX reserved operand (sign set, exponent 0) is no value")
    }

    func testAValueCutShortNamesItsOffset() {
        var cursor = DLISCursor(DLISLogicalRecord(isExplicit: false, type: 0, body: [1, 2], pieces: [(0, 1000)]))
        XCTAssertThrowsError(try cursor.value(.fdoubl)) { error in
            XCTAssertEqual((error as? DLISError)?.offset, 1000)
            XCTAssertEqual((error as? DLISError)?.reason, "IFLR type 0 ends 6 bytes short of a value in FDOUBL")
        }
    }
}
