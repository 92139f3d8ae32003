import FramesCore
import FrameStore
import GzipCodec
@testable import IngestCommand
import XCTest

/// Rows travel in batches of 2,048 through the parallel processor and in 256 KiB pieces to the
/// database: across those boundaries every row arrives once, in file order.
final class BatchingTests: IngestTestCase {
    func testRowsAcrossSeveralBatchesArriveOnceInFileOrder() throws {
        let rows = ImageLogFiles.rows(2 * 2_048 + 5, width: 30)
        let outcome = try ingest(try files.write("long.csv", rows: rows), width: 10)
        let copied = try database.copiedFrames()
        XCTAssertEqual(copied.map(\.depth), rows.map(\.depth))
        XCTAssertEqual(outcome.rowsLoaded, rows.count)
        XCTAssertGreaterThan(database.copies[0].putCalls, 1, "sent in pieces, not at the end only")
    }

    func testTheFileIsReadInChunksThatSplitLinesAnywhere() throws {
        // Longer than the 256 KiB read size, so lines straddle chunk boundaries.
        let rows = ImageLogFiles.rows(1_200, width: 100)
        let path = try files.write("wide.csv", rows: rows)
        XCTAssertGreaterThan(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0, 1 << 18)
        _ = try ingest(path)
        let gunzip = try GzipDecompressor()
        for (frame, row) in zip(try database.copiedFrames(), rows) {
            XCTAssertEqual(try gunzip.decompress(frame.originalCompressed, size: 100).map(Int.init), row.pixels)
        }
        XCTAssertEqual(try database.copiedFrames().count, 1_200)
    }

    func testTheParallelProcessorKeepsTheOrderOfItsInput() throws {
        let rows = ImageLogFiles.rows(50, width: 8).map { ImageLogRow(line: 0, depth: $0.depth, pixels: $0.pixels.map(UInt8.init)) }
        let processor = try ParallelFrameProcessor(sourceWidth: 8, targetWidth: 4, stored: StoredRowHashes(), threads: 3)
        let processed = try processor.start(rows).wait()
        XCTAssertEqual(processed.map(\.depth), rows.map(\.depth))
    }
}

extension ProcessedRow {
    var depth: Double {
        switch self {
        case .frame(let frame): frame.depth
        case .unchanged(let depth, _, _): depth
        }
    }
}
