@testable import IngestCommand
import XCTest

/// A test with a folder of CSVs and a fake database, ingesting as `frames-ingest FILE` would.
class IngestTestCase: XCTestCase {
    var files: ImageLogFiles!
    var database: FakeConnection!

    override func setUpWithError() throws {
        files = try ImageLogFiles()
        database = FakeConnection()
    }

    func ingest(_ path: String, dataset: String = "well", width: Int = 4, skipBadRows: Bool = false,
                merge: Bool = false, keepGenerations: Int? = nil) throws(IngestError) -> IngestOutcome {
        try FileIngest(path: path, dataset: dataset, width: width, skipBadRows: skipBadRows, merge: merge,
                       keepGenerations: keepGenerations, progress: nil).run(on: database)
    }

    /// The error `work` throws, which must be an `IngestError`.
    func ingestError<Result>(_ work: () throws(IngestError) -> Result, file: StaticString = #filePath,
                     line: UInt = #line) -> IngestError? {
        do {
            _ = try work()
            XCTFail("no error", file: file, line: line)
            return nil
        } catch {
            return error
        }
    }
}
