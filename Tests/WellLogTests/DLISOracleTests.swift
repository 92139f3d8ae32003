import FramesCore
import XCTest

/// The DLIS decoder against files written by dliswriter, read back by dlisio (the oracle).
final class DLISOracleTests: XCTestCase {
    struct Oracle: Decodable {
        struct LogicalFile: Decodable {
            var file_header_id: String
            /// well, field and company.
            var origin: [String: String]
            var channels: [Channel]
            var frames: [Frame]
        }
        struct Channel: Decodable {
            var name: String
            var long_name: String?
            var units: String?
            var reprc: UInt8
            var dimension: [Int]
        }
        struct Frame: Decodable {
            var name: String
            var index_type: String?
            var direction: String?
            var spacing: Double?
            var channels: [String]
            var rows: [Row]
        }
        struct Row: Decodable {
            var frame_number: Int
            var values: [[Double]]
        }
        var logical_files: [LogicalFile]
    }

    /// Decodes `bytes` fed in chunks of `size`: the last description of each logical file, and its rows.
    static func decode(_ bytes: [UInt8], chunkSize size: Int) throws -> [(file: DLISLogicalFile, rows: [DLISFrameRow])] {
        let decoder = DLISDecoder()
        var events: [DLISDecoder.Event] = []
        for chunk in chunks(bytes, of: size) { events += try decoder.feed(chunk) }
        events += try decoder.finish()
        var files: [(file: DLISLogicalFile, rows: [DLISFrameRow])] = []
        for event in events {
            switch event {
            case .logicalFile(let file):
                if let last = files.last, last.file.id == file.id { files[files.count - 1].file = file }
                else { files.append((file, [])) }
            case .row(let row): files[files.count - 1].rows.append(row)
            }
        }
        return files
    }

    func check(_ name: String) throws {
        let bytes = try fixtureBytes(name, "dlis")
        let oracle = try fixtureOracle(name, as: Oracle.self)
        // Chunks smaller than a segment header, odd sizes, and the whole file at once.
        for size in [1, 3, 77, 256 * 1024] {
            let files = try Self.decode(bytes, chunkSize: size)
            XCTAssertEqual(files.count, oracle.logical_files.count, "\(name): logical files, chunks of \(size)")
            for (got, expected) in zip(files, oracle.logical_files) {
                compare(got.file, got.rows, expected, "\(name) \(expected.file_header_id) chunks of \(size)")
            }
        }
    }

    func compare(_ file: DLISLogicalFile, _ rows: [DLISFrameRow], _ expected: Oracle.LogicalFile, _ context: String) {
        XCTAssertEqual(file.id, expected.file_header_id, context)
        XCTAssertEqual(["well": file.origin?.well, "field": file.origin?.field, "company": file.origin?.company].compactMapValues { $0 },
                       expected.origin, context)
        XCTAssertEqual(file.channels.map(\.name.identifier), expected.channels.map(\.name), context)
        for (channel, oracle) in zip(file.channels, expected.channels) {
            XCTAssertEqual(channel.longName, oracle.long_name, "\(context) \(oracle.name)")
            XCTAssertEqual(channel.units, oracle.units, "\(context) \(oracle.name)")
            XCTAssertEqual(channel.representationCode?.rawValue, oracle.reprc, "\(context) \(oracle.name)")
            XCTAssertEqual(channel.dimension, oracle.dimension, "\(context) \(oracle.name)")
        }
        XCTAssertEqual(file.frames.map(\.name.identifier), expected.frames.map(\.name), context)
        for (frame, oracle) in zip(file.frames, expected.frames) {
            XCTAssertEqual(frame.indexType, oracle.index_type, "\(context) \(oracle.name)")
            XCTAssertEqual(frame.direction, oracle.direction, "\(context) \(oracle.name)")
            XCTAssertEqual(frame.spacing, oracle.spacing, "\(context) \(oracle.name)")
            XCTAssertEqual(frame.channels.map(\.identifier), oracle.channels, "\(context) \(oracle.name)")
            let frameRows = rows.filter { $0.frame == frame.name }
            XCTAssertEqual(frameRows.map(\.number), oracle.rows.map(\.frame_number), "\(context) \(oracle.name)")
            for (row, expectedRow) in zip(frameRows, oracle.rows) {
                // Bit for bit: every code the fixtures use converts to a Double exactly.
                XCTAssertEqual(row.samples.map { $0.doubles ?? [] }, expectedRow.values, "\(context) \(oracle.name) #\(row.number)")
                XCTAssertEqual(row.index, expectedRow.values.first?.first, "\(context) \(oracle.name) #\(row.number)")
            }
        }
    }

    /// Written with 512-byte visible records: dliswriter splits each frame's record into segments that
    /// continue across visible records.
    func testImageOf192FSINGLSamplesWithAbsentStripes() throws {
        try check("fsingl_192")
        let files = try Self.decode(fixtureBytes("fsingl_192", "dlis"), chunkSize: 256 * 1024)
        let images = files[0].file.imageChannels
        XCTAssertEqual(images.map(\.channel.name.identifier), ["FMI"], "the 192-sample channel is the one image")
        XCTAssertEqual(images.first?.frame.indexChannel?.identifier, "TDEP")
        guard case .float(let samples) = files[0].rows[0].samples[1] else { return XCTFail("FMI is FSINGL: Floats") }
        XCTAssertEqual(samples.count, 192)
        XCTAssertTrue(samples.contains(-999.25), "the absent stripe is there")
    }

    func testTwoLogicalFilesWithFDOUBLSNORMAndUNORMImagesInFeetAndMetres() throws {
        try check("two_files")
        let files = try Self.decode(fixtureBytes("two_files", "dlis"), chunkSize: 4096)
        XCTAssertEqual(files.map { $0.file.imageChannels.map(\.channel.name.identifier) }, [["UBI"], ["AMP", "TT"]])
        XCTAssertEqual(files[0].file.frames[0].direction, "DECREASING", "the first frame is recorded upwards")
        XCTAssertEqual(files.map { $0.file.channels.first?.units }, ["ft", "m"])
    }
}
