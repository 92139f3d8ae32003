import FramesCore
import XCTest

/// The DLIS decoder on bytes built by hand: the parts of RP66 v1 that dliswriter never writes, with values
/// whose encodings are worked out in the comments.
final class DLISHandBuiltTests: XCTestCase {
    typealias B = DLISBytes

    /// Channels of every numeric code, with the CHANNEL template's defaults, absent attributes and an object
    /// that stops early.
    static let channels: [UInt8] = B.set("CHANNEL")
        + B.attribute(label: "LONG-NAME", code: 20) + B.attribute(label: "UNITS", code: 27)
        + B.attribute(label: "REPRESENTATION-CODE", code: 15, value: [2])
        + B.attribute(label: "DIMENSION", code: 18, value: [1])
        + B.object("DEPT") + B.attribute(value: B.ascii("Depth")) + B.attribute(value: B.ident("ft"))
        + B.attribute(value: [7]) + B.absent
        + B.object("IBM") + B.attribute(value: B.ascii("IBM floats")) + B.absent + B.attribute(value: [5])
        + B.attribute(count: 1, value: [2])
        + B.object("VAX") + B.absent + B.absent + B.attribute(value: [6]) + B.attribute(value: [3])
        + [1, 12, 13, 14, 15, 16, 17, 18].flatMap { code in
            B.object("CODE\(code)") + B.absent + B.absent + B.attribute(value: [code])
        }
        + B.object("DEFAULTED")

    static let frame: [UInt8] = B.set("FRAME")
        + B.attribute(label: "CHANNELS", code: 23)
        + B.attribute(label: "INDEX-TYPE", code: 19, value: B.ident("BOREHOLE-DEPTH"), invariant: true)
        + B.object("F") + B.attribute(count: 12, value: (["DEPT", "IBM", "VAX"] + [1, 12, 13, 14, 15, 16, 17, 18].map { "CODE\($0)" }
                                                          + ["DEFAULTED"]).flatMap { B.obname($0) })

    static let origin: [UInt8] = B.set("ORIGIN")
        + B.attribute(label: "WELL-NAME", code: 20) + B.attribute(label: "FIELD-NAME", code: 20) + B.attribute(label: "COMPANY", code: 20)
        + B.object("O") + B.attribute(value: B.ascii("HAND-1"))

    static let fdata: [UInt8] = B.obname("F") + [1]
        + B.fdoubl(1234.5)
        + [0x41, 0x10, 0x00, 0x00] + [0xC2, 0x76, 0xA0, 0x00]  // IBM: 0.0625 × 16 = 1; −0.4633789… × 16² = −118.625
        + [0x80, 0x40, 0x00, 0x00] + [0x40, 0x41, 0x00, 0x00] + [0x80, 0xC0, 0x00, 0x00]  // VAX: 1, 3, −1
        + [0x60, 0x03]  // FSHORT: 0x600/2048 = 0.75, × 2³ = 6
        + [0xFE] + [0x80, 0x00] + [0xFF, 0xFF, 0xFF, 0xFF]  // SSHORT −2, SNORM −32768, SLONG −1
        + [0xFF] + [0xFF, 0xFF] + [0xFF, 0xFF, 0xFF, 0xFF]  // USHORT, UNORM, ULONG at their maxima
        + [0xC0, 0x01, 0x00, 0x00]  // UVARI of four bytes: 65536
        + B.fsingl(0.5)

    static let expectedSamples: [DLISSamples] = [
        .double([1234.5]), .double([1, -118.625]), .double([1, 3, -1]), .double([6]), .double([-2]), .double([-32768]),
        .double([-1]), .double([255]), .double([65535]), .double([4_294_967_295]), .double([65536]), .float([0.5]),
    ]

    /// A whole file: junk before the label; EFLRs with checksums, trailing lengths and padding; the FDATA record
    /// split over two visible records.
    static func file() -> [UInt8] {
        let half = fdata.count / 2
        return Array("tape header junk".utf8) + B.label()
            + B.visibleRecord(B.segment(type: 0, [.explicit, .checksum], B.fileHeader("HAND")),
                              B.segment(type: 1, [.explicit, .trailingLength, .padding], origin, padding: 3))
            + B.visibleRecord(B.segment(type: 3, [.explicit, .checksum, .trailingLength], channels),
                              B.segment(type: 4, [.explicit, .padding], frame, padding: 1),
                              B.segment(type: 0, [.successor, .checksum], Array(fdata[..<half])))
            + B.visibleRecord(B.segment(type: 0, [.predecessor, .padding, .checksum, .trailingLength], Array(fdata[half...]), padding: 4))
    }

    func testEveryNumericCodeThroughChecksumsTrailingLengthsPaddingAndContinuedSegments() throws {
        for size in [1, 5, 4096] {
            let files = try DLISOracleTests.decode(Self.file(), chunkSize: size)
            XCTAssertEqual(files.count, 1)
            let file = try XCTUnwrap(files.first)
            XCTAssertEqual(file.file.id, "HAND")
            XCTAssertEqual(file.file.origin?.well, "HAND-1")
            XCTAssertNil(file.file.origin?.field, "an object that stops early leaves the rest absent")
            XCTAssertEqual(file.rows.map(\.samples), [Self.expectedSamples], "chunks of \(size)")
            XCTAssertEqual(file.rows.first?.index, 1234.5)
        }
    }

    func testTemplateDefaultsAbsentAndInvariantAttributes() throws {
        let file = try XCTUnwrap(DLISOracleTests.decode(Self.file(), chunkSize: 4096).first?.file)
        let dept = try XCTUnwrap(file.channels.first)
        XCTAssertEqual([dept.longName, dept.units], ["Depth", "ft"])
        XCTAssertEqual(dept.dimension, [1], "an absent DIMENSION is one value")
        let ibm = file.channels[1]
        XCTAssertNil(ibm.units, "UNITS marked absent")
        XCTAssertEqual(ibm.dimension, [2])
        let defaulted = try XCTUnwrap(file.channels.last)
        XCTAssertEqual(defaulted.name.identifier, "DEFAULTED")
        XCTAssertEqual(defaulted.representationCode, .fsingl, "the template's default")
        XCTAssertNil(defaulted.longName, "no default in the template: absent")
        XCTAssertEqual(file.frames.first?.indexType, "BOREHOLE-DEPTH", "an invariant attribute applies to every object")
        XCTAssertEqual(file.imageChannels.map(\.channel.name.identifier), ["IBM", "VAX"])
    }

    func testEncryptedRecordsThatCarryNothingReadAreSkippedAndTheOthersRefused() throws {
        let privateSet = B.segment(type: 200, [.explicit, .encrypted], [1, 2, 3, 4, 5, 6])
        let readable = B.label() + B.visibleRecord(B.segment(type: 0, [.explicit], B.fileHeader("E")), privateSet)
        XCTAssertEqual(try DLISOracleTests.decode(readable, chunkSize: 4096).map(\.file.id), ["E"])

        let encryptedChannels = B.segment(type: 3, [.explicit, .encrypted], [1, 2, 3, 4, 5, 6])
        let headerRecord = B.segment(type: 0, [.explicit], B.fileHeader("E"))
        let refused = B.label() + B.visibleRecord(headerRecord, encryptedChannels)
        XCTAssertThrowsError(try DLISOracleTests.decode(refused, chunkSize: 4096)) { error in
            let error = error as? DLISError
            XCTAssertEqual(error?.offset, 80 + 4 + headerRecord.count, "the offset of the encrypted segment")
            XCTAssertEqual(error?.reason.contains("encrypted EFLR type 3"), true, "\(String(describing: error))")
        }
    }

    func testPaddingThatFillsTheWholeSegmentLeavesAnEmptyRecord() throws {
        let allPadding = B.segment(type: 3, [.explicit, .padding], [], padding: 12)
        var bytes = B.label() + B.visibleRecord(B.segment(type: 0, [.explicit], B.fileHeader("P")), allPadding)
        bytes[bytes.count - 1] = 16  // the whole segment, its header included, as some writers count it
        XCTAssertEqual(try DLISOracleTests.decode(bytes, chunkSize: 4096).map(\.file.channels), [[]])
    }

    func testReplacementSetsReplaceAndRedundantSetsAddNothing() throws {
        func channelSet(_ descriptor: UInt8, units: String) -> [UInt8] {
            [descriptor] + B.ident("CHANNEL") + B.attribute(label: "UNITS", code: 27) + B.object("C") + B.attribute(value: B.ident(units))
        }
        let bytes = B.label() + B.visibleRecord(B.segment(type: 0, [.explicit], B.fileHeader("R")),
                                                B.segment(type: 3, [.explicit], channelSet(0xF0, units: "m")),
                                                B.segment(type: 3, [.explicit], channelSet(0xD0, units: "ft")),
                                                B.segment(type: 3, [.explicit], channelSet(0xB0, units: "in")))
        let file = try XCTUnwrap(DLISOracleTests.decode(bytes, chunkSize: 4096).first?.file)
        XCTAssertEqual(file.channels.map(\.units), ["ft"], "SET, then its replacement (RSET), then a copy (RDSET) to ignore")
    }

    func assertError(_ bytes: [UInt8], offset: Int, saying words: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try DLISOracleTests.decode(bytes, chunkSize: 7), file: file, line: line) { error in
            guard let error = error as? DLISError else { return XCTFail("\(error) is not a DLISError", file: file, line: line) }
            XCTAssertEqual(error.offset, offset, "\(error)", file: file, line: line)
            XCTAssertTrue(error.reason.contains(words), "\(error) does not say \(words)", file: file, line: line)
        }
    }

    func testTruncatedFilesNameTheirEndAndWhatWasExpected() throws {
        let bytes = try fixtureBytes("fsingl_192", "dlis")
        for cut in [80 + 2, 80 + 4 + 2, 400, bytes.count / 2, bytes.count - 1] {
            assertError(Array(bytes[..<cut]), offset: cut, saying: "truncated")
        }
        assertError(Array(bytes[..<50]), offset: 0, saying: "no storage unit label")
        assertError([], offset: 0, saying: "empty")
    }

    func testCorruptRecordsNameTheirOffset() throws {
        var badHeader = try fixtureBytes("fsingl_192", "dlis")
        badHeader[82] = 0x00
        assertError(badHeader, offset: 80, saying: "FF 01")

        let segment = B.segment(type: 0, [.explicit, .trailingLength], B.fileHeader("T"))
        var badTrailer = B.label() + B.visibleRecord(segment)
        badTrailer[badTrailer.count - 1] ^= 1
        assertError(badTrailer, offset: badTrailer.count - 2, saying: "trailing length")

        var badPadding = B.label() + B.visibleRecord(B.segment(type: 0, [.explicit, .padding], B.fileHeader("P")))
        badPadding[badPadding.count - 1] = 200
        assertError(badPadding, offset: badPadding.count - 1, saying: "pad count of 200")

        let orphan = B.label() + B.visibleRecord(B.segment(type: 0, [.explicit, .predecessor], B.fileHeader("O")))
        assertError(orphan, offset: 84, saying: "none is open")

        let unknownFrame = B.label() + B.visibleRecord(B.segment(type: 0, [.explicit], B.fileHeader("U")),
                                                       B.segment(type: 0, [], B.obname("NOPE") + [1, 0, 0]))
        assertError(unknownFrame, offset: unknownFrame.count - B.obname("NOPE").count - 3, saying: "no FRAME set describes")

        let extra = B.set("CHANNEL") + B.attribute(label: "UNITS", code: 27) + B.object("C") + B.attribute(value: B.ident("m"))
            + B.attribute(value: B.ident("ft"))
        let tooMany = B.label() + B.visibleRecord(B.segment(type: 0, [.explicit], B.fileHeader("X")), B.segment(type: 3, [.explicit], extra))
        assertError(tooMany, offset: tooMany.count - 4, saying: "more attributes than its template")
    }
}
