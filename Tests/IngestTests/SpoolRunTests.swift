import Foundation
@testable import IngestCommand
import PostgresClient
import ProcessSupport
import XCTest

/// One pass over a spool folder, as the timer runs it: loaded files go to done/, rejected ones to
/// failed/ with the reason beside them, and a transient failure leaves the file for the next run.
final class SpoolRunTests: IngestTestCase {
    private var spool: String { files.folder.path }
    private var metrics = IngestMetrics.Run()
    private var connections = 0

    private func deliver(_ name: String, text: String) throws {
        try FileManager.default.createDirectory(atPath: spool + "/incoming", withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: spool + "/incoming/" + name))
    }

    private func names(in folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: spool + "/" + folder)) ?? []).sorted()
    }

    private func runSpool() throws(IngestError) -> SpoolRun.Result {
        try SpoolRun(directory: spool, width: 2, skipBadRows: false, keepGenerations: nil)
            .run(connect: { () throws(IngestError) in connections += 1; return database }, metrics: &metrics)
    }

    func testLoadedFilesGoToDoneAndRejectedOnesToFailedWithTheReason() throws {
        try deliver("a.csv", text: "depth,p,q\n1,2,3\n")
        try deliver("b.csv", text: "depth,p,q\n1,2,bad\n")
        try deliver("c.csv", text: "depth,p,q\n1,4,5\n2,6,7\n")
        guard case .finished(let outcomes, let failures) = try runSpool() else { return XCTFail("locked") }
        XCTAssertEqual(outcomes.map(\.dataset.name), ["a", "c"], "each file into the dataset of its name, in name order")
        XCTAssertEqual(failures, 1)
        XCTAssertEqual(names(in: "incoming"), [])
        XCTAssertEqual(names(in: "done"), ["a.csv", "c.csv"])
        XCTAssertEqual(names(in: "failed"), ["b.csv", "b.csv.error"])
        let reason = try String(contentsOfFile: spool + "/failed/b.csv.error", encoding: .utf8)
        XCTAssertTrue(reason.contains("b.csv:2:3:"), reason)
        XCTAssertEqual(metrics.files, [.done: 2, .failed: 1])
        XCTAssertEqual(metrics.rowsLoaded, 3)
        XCTAssertEqual(Set(database.datasets.keys), ["a", "c"])
    }

    func testATransientFailureLeavesTheFileInIncomingAndEndsTheRun() throws {
        try deliver("a.csv", text: "depth,p,q\n1,2,3\n")
        try deliver("b.csv", text: "depth,p,q\n1,2,3\n")
        database.fault = { $0 == "COMMIT" ? .statement(.diskFull, message: "no space") : nil }
        let error = ingestError { () throws(IngestError) in try runSpool() }
        XCTAssertEqual(error?.exitStatus, .temporaryFailure)
        XCTAssertEqual(names(in: "incoming"), ["a.csv", "b.csv"], "b.csv was not tried: the database is out of disk")
        XCTAssertEqual(names(in: "failed"), [])
        XCTAssertEqual(metrics.files, [.retry: 1])
    }

    func testFilesBeingWrittenAreLeftAloneAndAnEmptySpoolNeedsNoDatabase() throws {
        try deliver("a.csv.part", text: "depth,p,q\n1,2,3\n")
        try deliver(".b.csv", text: "depth,p,q\n1,2,3\n")
        guard case .finished(let outcomes, let failures) = try runSpool() else { return XCTFail("locked") }
        XCTAssertEqual(outcomes.count + failures, 0)
        XCTAssertEqual(connections, 0)
        XCTAssertEqual(names(in: "incoming"), [".b.csv", "a.csv.part"])
    }

    func testAFileDeliveredTwiceKeepsBothCopiesInDone() throws {
        try deliver("a.csv", text: "depth,p,q\n1,2,3\n")
        _ = try runSpool()
        try deliver("a.csv", text: "depth,p,q\n1,2,4\n")
        _ = try runSpool()
        XCTAssertEqual(names(in: "done"), ["a.csv", "a.csv.2"])
    }

    func testASecondRunWhileTheFirstHoldsTheLockDoesNothing() throws {
        try deliver("a.csv", text: "depth,p,q\n1,2,3\n")
        let held = try XCTUnwrap(try LockFile.acquire(spool + "/.lock", waiting: false))
        defer { held.release() }
        guard case .lockedByAnotherRun = try runSpool() else { return XCTFail("ran beside another run") }
        XCTAssertEqual(connections, 0)
        XCTAssertEqual(names(in: "incoming"), ["a.csv"])
    }
}

/// The command line's files go through the same loop, but the first rejected file ends the run.
final class IngestLoopTests: IngestTestCase {
    func testTheFirstRejectedFileEndsARunOfFiles() throws {
        let good = try files.write("good.csv", text: "depth,p\n1,2\n")
        let bad = try files.write("bad.csv", text: "depth,p\n1,x\n")
        let never = try files.write("never.csv", text: "depth,p\n1,2\n")
        var metrics = IngestMetrics.Run()
        var rejected: [String] = []
        let ingests = [good, bad, never].map { path in
            FileIngest(path: path, dataset: IngestOptions.datasetName(forFile: path), width: 1, skipBadRows: false,
                       progress: nil)
        }
        XCTAssertThrowsError(try IngestLoop(connection: database).run(ingests, metrics: &metrics) { ingest, error throws(IngestError) in
            rejected.append(ingest.path)
            throw error
        })
        XCTAssertEqual(rejected, [bad])
        XCTAssertEqual(Set(database.datasets.keys), ["good"])
        XCTAssertEqual(metrics.files, [.done: 1, .failed: 1])
    }
}
