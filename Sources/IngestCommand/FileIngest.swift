import Digests
import FramesCore
import FrameStore
import PostgresClient
import ProcessSupport

/// What one file's ingest did, for the summary line, the logs and the metrics.
struct IngestOutcome {
    var file: String
    var dataset: DatasetInfo
    var counts: FrameChangeCounts
    var rowsLoaded: Int
    var emptyRowsSkipped: Int
    var badRowsSkipped: Int
    var seconds: Double
}

/// Ingests one CSV into one dataset, in one transaction: read, parse, process and load in a single
/// pass, then commit; any error rolls the whole file back.
struct FileIngest {
    var path: String
    var dataset: String
    var width: Int
    var skipBadRows: Bool
    var merge = false
    /// Generations to keep after the commit (FRAMES_KEEP_GENERATIONS); nil keeps them all.
    var keepGenerations: Int?
    var progress: ProgressReporter?

    /// Bytes read from the file at a time.
    private static let chunkSize = 1 << 18

    func run(on connection: any SQLConnection) throws(IngestError) -> IngestOutcome {
        let started = Clock.monotonicSeconds
        let file = try InputFile(path: path)
        defer { file.close() }
        let session: FrameLoadSession
        do {
            session = try FrameLoadSession.begin(on: connection, dataset: dataset, mode: merge ? .merge : .replace)
        } catch {
            throw .database(error)
        }
        let parser = ImageLogParser()
        let pipeline = FramePipeline(session: session, targetWidth: width)
        var badRows = 0
        // Of the bytes as read, so that the recorded digest is that of what was loaded.
        var fileHash = SHA256()
        do throws(IngestError) {
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.chunkSize, alignment: 16)
            defer { buffer.deallocate() }
            var bytesRead = 0
            while let chunk = try file.nextChunk(into: buffer) {
                bytesRead += chunk.count
                fileHash.update(chunk)
                badRows += try take(try parsed { () throws(CSVDataError) in try parser.feed(chunk) }, into: pipeline)
                progress?.update(done: bytesRead, total: file.size)
            }
            badRows += try take(try parsed { () throws(CSVDataError) in try parser.finish() }, into: pipeline)
            try pipeline.finish()
            progress?.finish()
            guard pipeline.framesLoaded > 0 else { throw .emptyFile(file: path) }
            let originalWidth = parser.width ?? 0
            if merge, let existing = session.existingWidths, existing != (originalWidth, width) {
                throw .widthMismatch(file: path, dataset: dataset, stored: existing, given: (originalWidth, width))
            }
            let committed: (dataset: DatasetInfo, counts: FrameChangeCounts)
            do {
                let origin = GenerationOrigin(command: merge ? "merge" : "ingest", sourceFile: path,
                                              sourceSHA256: fileHash.finalize().hexString)
                committed = try session.commit(origin, originalWidth: originalWidth, resizedWidth: width,
                                               keepGenerations: keepGenerations)
            } catch {
                throw .database(error)
            }
            return IngestOutcome(file: path, dataset: committed.dataset, counts: committed.counts,
                                 rowsLoaded: pipeline.framesLoaded,
                                 emptyRowsSkipped: parser.emptyRowsSkipped, badRowsSkipped: badRows,
                                 seconds: Clock.monotonicSeconds - started)
        } catch {
            session.rollback()
            throw error
        }
    }

    private func parsed(_ parse: () throws(CSVDataError) -> [ImageLogParser.Line]) throws(IngestError) -> [ImageLogParser.Line] {
        do {
            return try parse()
        } catch {
            throw .badData(file: path, error)
        }
    }

    /// Hands the rows on; a bad row rejects the file unless bad rows are skipped. Returns how many were.
    private func take(_ lines: [ImageLogParser.Line], into pipeline: FramePipeline) throws(IngestError) -> Int {
        var skipped = 0
        for line in lines {
            switch line {
            case .row(let row):
                try pipeline.add(row)
            case .invalid(let error):
                guard skipBadRows else { throw .badData(file: path, error) }
                skipped += 1
                var fields: [String: LogValue] = ["file": .string(path), "line": .int(error.line),
                                                  "column": .int(error.column), "reason": .string(error.reason)]
                if let byte = error.byteOffset { fields["byte"] = .int(byte) }
                Log.warning("skipped a bad row", fields)
            }
        }
        return skipped
    }
}
