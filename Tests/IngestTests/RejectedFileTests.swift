import FramesCore
@testable import IngestCommand
import PostgresClient
import XCTest

/// A file with bad data, or a database that fails mid-load: the transaction is rolled back, nothing is
/// kept, and the error says where and which exit status follows.
final class RejectedFileTests: IngestTestCase {
    private func assertRolledBack(file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(database.sql.last, "ROLLBACK", file: file, line: line)
        XCTAssertFalse(database.sql.contains("COMMIT"), file: file, line: line)
        XCTAssertNil(database.datasets["well"], "nothing kept", file: file, line: line)
    }

    func testABadPixelRejectsTheWholeFileAndNamesItsLineAndColumn() throws {
        var rows = ImageLogFiles.rows(5, width: 4).map { row in (["\(row.depth)"] + row.pixels.map(String.init)) }
        rows[2][3] = "300"
        let before = "depth,a,b,c,d\n" + rows.prefix(2).map { $0.joined(separator: ",") + "\n" }.joined()
            + rows[2].prefix(3).joined(separator: ",") + ","
        let path = try files.write("well.csv", text: "depth,a,b,c,d\n" + rows.map { $0.joined(separator: ",") + "\n" }.joined())
        let error = ingestError { () throws(IngestError) in try ingest(path) }
        XCTAssertEqual(error?.exitStatus, .dataError)
        guard case .badData(let file, let problem) = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertEqual(file, path)
        XCTAssertEqual(problem.line, 4, "the header is line 1")
        XCTAssertEqual(problem.column, 4)
        XCTAssertEqual(problem.columnName, "c")
        XCTAssertEqual(problem.byteOffset, before.utf8.count, "where `300` starts")
        XCTAssertTrue(error?.description.hasPrefix("\(path):4:4:") ?? false, error?.description ?? "")
        XCTAssertTrue(error?.description.hasSuffix("(byte \(before.utf8.count))") ?? false, error?.description ?? "")
        assertRolledBack()
        XCTAssertTrue(database.copies.allSatisfy(\.aborted), "the COPY is abandoned, not ended")
    }

    func testABadRowAfterAFullBatchStillRejectsTheFile() throws {
        // Rows of the first batch (2,048) were already sent to the database when the bad one is read.
        let rows = ImageLogFiles.rows(2_100, width: 3)
        let text = "depth,a,b,c\n" + rows.map { "\($0.depth)," + $0.pixels.map(String.init).joined(separator: ",") + "\n" }.joined()
            + "9999,1,2,x\n"
        let error = ingestError { () throws(IngestError) in try ingest(try! files.write("well.csv", text: text)) }
        guard case .badData(_, let problem) = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertEqual(problem.line, 2_102)
        assertRolledBack()
    }

    func testSkippingBadRowsLoadsTheOthersAndCountsTheSkipped() throws {
        let path = try files.write("well.csv", text: "depth,a,b\n1,10,20\n2,oops,20\n3,30,40\n4,1\n5,50,60\n")
        let outcome = try ingest(path, skipBadRows: true)
        XCTAssertEqual(outcome.badRowsSkipped, 2)
        XCTAssertEqual(outcome.rowsLoaded, 3)
        XCTAssertEqual(try database.copiedFrames().map(\.depth), [1, 3, 5])
        XCTAssertEqual(database.sql.last, "COMMIT")
    }

    func testEmptyRowsAreSkippedAndCountedWithoutSkippingBadRows() throws {
        let path = try files.write("well.csv", text: "depth,a,b\n1,10,20\n,,\n2,30,40\n,,\n")
        let outcome = try ingest(path)
        XCTAssertEqual(outcome.emptyRowsSkipped, 2)
        XCTAssertEqual(outcome.badRowsSkipped, 0)
        XCTAssertEqual(try database.copiedFrames().map(\.depth), [1, 2])
    }

    func testAFileOfOnlyAHeaderIsRejectedAsEmpty() throws {
        let path = try files.write("well.csv", text: "depth,a,b\n")
        let error = ingestError { () throws(IngestError) in try ingest(path) }
        guard case .emptyFile(let file) = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertEqual(file, path)
        XCTAssertEqual(error?.exitStatus, .dataError)
        assertRolledBack()
    }

    func testAFileWhoseRowsAreAllSkippedIsRejectedAsEmpty() throws {
        let path = try files.write("well.csv", text: "depth,a,b\n1,x,2\n,,\n")
        let error = ingestError { () throws(IngestError) in try ingest(path, skipBadRows: true) }
        guard case .emptyFile = error else { return XCTFail("\(String(describing: error))") }
        assertRolledBack()
    }

    func testABadHeaderIsReportedAtLineOne() throws {
        let path = try files.write("well.csv", text: "time,a,b\n1,2,3\n")
        let error = ingestError { () throws(IngestError) in try ingest(path, skipBadRows: true) }
        guard case .badData(_, let problem) = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertEqual([problem.line, problem.column], [1, 1])
        assertRolledBack()
    }

    func testAFullDiskDuringTheCopyRollsBackAndAsksForARetry() throws {
        // Enough rows for the loader to send data before the commit (it sends every 256 KiB).
        let path = try files.write("well.csv", rows: ImageLogFiles.rows(3_000, width: 60))
        database.fault = { $0 == "COPY DATA" ? .statement(.diskFull, message: "could not extend file") : nil }
        let error = ingestError { () throws(IngestError) in try ingest(path) }
        XCTAssertEqual(error?.exitStatus, .temporaryFailure)
        XCTAssertTrue(error?.description.contains("53100") ?? false, error?.description ?? "")
        assertRolledBack()
    }

    func testARejectedStatementAtCommitRollsBackAndIsASoftwareError() throws {
        let path = try files.write("well.csv", rows: ImageLogFiles.rows(3, width: 4))
        database.fault = { sql in
            sql.hasPrefix("WITH published") ? .statement(SQLState(rawValue: "23514"), message: "check violated") : nil
        }
        let error = ingestError { () throws(IngestError) in try ingest(path) }
        XCTAssertEqual(error?.exitStatus, .software)
        assertRolledBack()
    }

    func testALostConnectionAtBeginAsksForARetry() throws {
        let path = try files.write("well.csv", rows: ImageLogFiles.rows(3, width: 4))
        database.fault = { $0 == "BEGIN" ? .connectionLost("server closed the connection") : nil }
        let error = ingestError { () throws(IngestError) in try ingest(path) }
        XCTAssertEqual(error?.exitStatus, .temporaryFailure)
        XCTAssertTrue(database.copies.isEmpty)
    }
}
