import FramesCore
@testable import IngestCommand
import XCTest

/// A file loaded into a dataset that exists: only what changed is sent, and the counts say what changed.
final class ReingestTests: IngestTestCase {
    private let rows = ImageLogFiles.rows(20, width: 6)

    override func setUpWithError() throws {
        try super.setUpWithError()
        _ = try ingest(try files.write("first.csv", rows: rows))
    }

    func testAnIdenticalFileSendsNoFrameOnlyTheDepthsItKeeps() throws {
        let outcome = try ingest(try files.write("again.csv", rows: rows))
        XCTAssertEqual(database.sent("SELECT depth, row_hash FROM frames").count, 1, "the stored hashes are read")
        XCTAssertTrue(database.copies[0].statement.contains("staged_frames"), database.copies[0].statement)
        XCTAssertEqual(try database.copiedFrames().count, 0)
        XCTAssertEqual(try database.copiedUnchangedDepths(), rows.map(\.depth))
        XCTAssertEqual(outcome.counts, FrameChangeCounts(added: 0, changed: 0, removed: 0))
        XCTAssertEqual(outcome.rowsLoaded, 20, "every row of the file was read and found there")
        XCTAssertEqual(database.sql.last, "COMMIT")
    }

    func testOnlyTheChangedRowIsSent() throws {
        var changed = rows
        changed[7].pixels[2] = (changed[7].pixels[2] + 1) % 256
        let outcome = try ingest(try files.write("changed.csv", rows: changed))
        XCTAssertEqual(try database.copiedFrames().map(\.depth), [rows[7].depth])
        XCTAssertEqual(try database.copiedUnchangedDepths().count, 19)
        XCTAssertEqual(outcome.counts, FrameChangeCounts(added: 0, changed: 1, removed: 0))
    }

    func testAnotherWidthChangesEveryRowsHash() throws {
        let outcome = try ingest(try files.write("again.csv", rows: rows), width: 3)
        XCTAssertEqual(try database.copiedFrames().count, 20)
        XCTAssertEqual(outcome.counts, FrameChangeCounts(added: 0, changed: 20, removed: 0))
    }

    func testAShorterFileRemovesTheDepthsItLacks() throws {
        let outcome = try ingest(try files.write("short.csv", rows: Array(rows.prefix(15))))
        XCTAssertEqual(try database.copiedFrames().count, 0)
        XCTAssertEqual(outcome.counts, FrameChangeCounts(added: 0, changed: 0, removed: 5))
        XCTAssertEqual(database.datasets["well"]?.hashes.count, 15)
    }

    func testAMergeSendsEveryRowOfItsFileWithoutReadingTheStoredHashes() throws {
        let extra = ImageLogFiles.rows(3, width: 6, firstDepth: 2000)
        let outcome = try ingest(try files.write("extra.csv", rows: extra), merge: true)
        XCTAssertTrue(database.sent("SELECT depth, row_hash FROM frames").isEmpty)
        XCTAssertEqual(try database.copiedFrames().map(\.depth), extra.map(\.depth))
        XCTAssertEqual(outcome.counts, FrameChangeCounts(added: 3, changed: 0, removed: 0))
        XCTAssertEqual(database.datasets["well"]?.hashes.count, 23, "the merge keeps the other depths")
        XCTAssertEqual(database.sent("WITH published").first?.parameters[5], "merge")
    }

    func testAMergeOfAnotherWidthIsRejectedAndNothingChanges() throws {
        let before = database.datasets["well"]?.hashes
        let path = try files.write("wide.csv", rows: ImageLogFiles.rows(3, width: 9, firstDepth: 2000))
        let error = ingestError { () throws(IngestError) in try ingest(path, merge: true) }
        guard case .widthMismatch(_, let dataset, let stored, let given) = error else {
            return XCTFail("\(String(describing: error))")
        }
        XCTAssertEqual(dataset, "well")
        XCTAssertEqual([stored.original, stored.resized, given.original, given.resized], [6, 4, 9, 4])
        XCTAssertEqual(error?.exitStatus, .dataError)
        XCTAssertEqual(database.sql.last, "ROLLBACK")
        XCTAssertEqual(database.datasets["well"]?.hashes, before)
    }

    func testAFailedReingestLeavesTheFirstLoadAsItWas() throws {
        let before = database.datasets["well"]?.hashes
        var changed = rows
        changed[0].pixels[0] = (changed[0].pixels[0] + 1) % 256
        database.fault = { $0 == "COMMIT" ? .connectionLost("gone") : nil }
        let error = ingestError { () throws(IngestError) in try ingest(try! files.write("changed.csv", rows: changed)) }
        XCTAssertEqual(error?.exitStatus, .temporaryFailure)
        XCTAssertEqual(database.datasets["well"]?.hashes, before)
    }
}
