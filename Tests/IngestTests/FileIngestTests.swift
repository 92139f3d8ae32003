import FramesCore
import GzipCodec
@testable import IngestCommand
import PostgresClient
import XCTest

/// A file ingested whole into a new dataset: what reaches the database, and in which transaction.
final class FileIngestTests: IngestTestCase {
    func testEveryRowOfANewFileIsCopiedIntoFramesInOneCommittedTransaction() throws {
        let rows = ImageLogFiles.rows(6, width: 8)
        let outcome = try ingest(try files.write("well.csv", rows: rows))
        XCTAssertEqual(database.sql.first, "BEGIN")
        XCTAssertEqual(database.sql.last, "COMMIT")
        XCTAssertFalse(database.sql.contains("ROLLBACK"))
        XCTAssertEqual(database.copies.count, 1)
        XCTAssertTrue(database.copies[0].statement.hasPrefix("COPY frames ("), database.copies[0].statement)
        let copied = try database.copiedFrames()
        XCTAssertEqual(copied.map(\.depth), rows.map(\.depth))
        XCTAssertEqual(Set(copied.map(\.dataset)), ["well"])
        XCTAssertEqual(Set(copied.map(\.generation)), [41], "the generation drawn at the start")
        XCTAssertEqual(outcome.rowsLoaded, 6)
        XCTAssertEqual(outcome.counts, FrameChangeCounts(added: 6))
        XCTAssertEqual(outcome.dataset.frameCount, 6)
        XCTAssertEqual(outcome.dataset.originalWidth, 8)
        XCTAssertEqual(outcome.dataset.resizedWidth, 4)
        XCTAssertEqual(database.datasets["well"]?.hashes.count, 6, "committed")
    }

    func testTheDatasetIsLockedBeforeItIsRead() throws {
        _ = try ingest(try files.write("well.csv", rows: ImageLogFiles.rows(2, width: 3)))
        let lock = database.sql.firstIndex { $0.hasPrefix("SELECT pg_advisory_xact_lock") }
        let read = database.sql.firstIndex { $0.hasPrefix("SELECT original_width") }
        XCTAssertNotNil(lock)
        XCTAssertLessThan(lock ?? .max, read ?? -1)
        XCTAssertEqual(database.sent("SELECT pg_advisory_xact_lock").first?.parameters, ["well"])
    }

    func testStatisticsInTheCopyAreThoseOfTheOriginalPixels() throws {
        _ = try ingest(try files.write("well.csv", rows: [(10, [0, 10, 20, 30]), (11, [7, 7, 7, 7])]))
        let copied = try database.copiedFrames()
        XCTAssertEqual(copied[0].min, 0)
        XCTAssertEqual(copied[0].max, 30)
        XCTAssertEqual(copied[0].mean, 15, accuracy: 1e-9)
        // Population deviation: sqrt((225 + 25 + 25 + 225) / 4).
        XCTAssertEqual(copied[0].std, 125.0.squareRoot(), accuracy: 1e-9)
        XCTAssertEqual([copied[1].min, copied[1].max], [7, 7])
        XCTAssertEqual(copied[1].mean, 7, accuracy: 1e-9)
        XCTAssertEqual(copied[1].std, 0, accuracy: 1e-9)
    }

    func testTheCompressedOriginalIsTheFilesRowAndTheResizedRowHasTheTargetWidth() throws {
        let rows = ImageLogFiles.rows(3, width: 12)
        _ = try ingest(try files.write("well.csv", rows: rows), width: 5)
        let gunzip = try GzipDecompressor()
        for (frame, row) in zip(try database.copiedFrames(), rows) {
            XCTAssertEqual(try gunzip.decompress(frame.originalCompressed, size: 12).map(Int.init), row.pixels)
            XCTAssertEqual(frame.resized.count, 5)
            XCTAssertEqual(try gunzip.decompress(frame.resizedCompressed, size: 5), frame.resized)
        }
    }

    func testAFlatRowStaysFlatWhenResized() throws {
        _ = try ingest(try files.write("well.csv", rows: [(1, [90, 90, 90, 90, 90, 90, 90, 90])]), width: 3)
        XCTAssertEqual(try database.copiedFrames().first?.resized, [90, 90, 90])
    }

    func testCompressionRatiosAreRawOverCompressedSize() throws {
        _ = try ingest(try files.write("well.csv", rows: ImageLogFiles.rows(2, width: 40)), width: 10)
        for frame in try database.copiedFrames() {
            XCTAssertEqual(frame.compressionRatioOriginal, 40 / Double(frame.originalCompressed.count), accuracy: 1e-12)
            XCTAssertEqual(frame.compressionRatioResized, 10 / Double(frame.resizedCompressed.count), accuracy: 1e-12)
        }
    }

    func testRowHashesTellRowsApartAndTheSameRowAlike() throws {
        let pixels = [5, 6, 7, 8]
        _ = try ingest(try files.write("well.csv", rows: [(1, pixels), (2, pixels), (3, [5, 6, 7, 9])]))
        let hashes = try database.copiedFrames().map(\.rowHash)
        XCTAssertEqual(hashes.map(\.count), [16, 16, 16])
        XCTAssertEqual(hashes[0], hashes[1], "the hash is of the pixels and width, not of the depth")
        XCTAssertNotEqual(hashes[0], hashes[2])
    }

    func testTheGenerationRecordsTheFileAndTheSHA256OfItsBytes() throws {
        let path = try files.write("well.csv", rows: ImageLogFiles.rows(3, width: 4))
        _ = try ingest(path)
        let published = try XCTUnwrap(database.sent("WITH published").first?.parameters)
        XCTAssertEqual(published[4], path, "source_file")
        XCTAssertEqual(published[5], "ingest", "command")
        XCTAssertEqual(published[6], try sha256sum(path))
    }

    func testTheHistogramsCountEveryRowOfAWholeFile() throws {
        _ = try ingest(try files.write("well.csv", rows: ImageLogFiles.rows(150, width: 6)))
        let blocks = try XCTUnwrap(database.sent("INSERT INTO block_histograms").first?.parameters)
        // $4 is the frame count of each block, as an array literal.
        let counts = (blocks[3] ?? "").dropFirst().dropLast().split(separator: ",").compactMap { Int($0) }
        XCTAssertEqual(counts.reduce(0, +), 150)
        XCTAssertNotNil(database.sent("INSERT INTO dataset_histograms").first)
    }

    func testKeepingGenerationsPrunesBeforeTheCommit() throws {
        _ = try ingest(try files.write("well.csv", rows: ImageLogFiles.rows(2, width: 4)), keepGenerations: 3)
        let prune = try XCTUnwrap(database.sql.firstIndex { $0.hasPrefix("WITH kept AS") })
        XCTAssertEqual(database.statements[prune].parameters, ["well", "3"])
        XCTAssertLessThan(prune, try XCTUnwrap(database.sql.firstIndex(of: "COMMIT")))
    }

    func testWithoutKeepingGenerationsNothingIsPruned() throws {
        _ = try ingest(try files.write("well.csv", rows: ImageLogFiles.rows(2, width: 4)))
        XCTAssertTrue(database.sent("WITH kept AS").isEmpty)
    }

    func testAMissingFileExits66BeforeAnythingIsSent() {
        let error = ingestError { () throws(IngestError) in try ingest(files.folder.appendingPathComponent("absent.csv").path) }
        XCTAssertEqual(error?.exitStatus, .noInput)
        XCTAssertTrue(database.statements.isEmpty)
    }

    private func sha256sum(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return String(text.prefix { $0 != " " })
    }
}
