import FramesCore
import FrameStore
import PostgresClient
import ProcessSupport

/// What one file's ingest did, for the summary line, the logs and the metrics.
struct IngestOutcome {
    var file: String
    var dataset: DatasetInfo
    var rowsLoaded: Int
    var emptyRowsSkipped: Int
    var badRowsSkipped: Int
    var seconds: Double
}

/// Ingests one CSV into one dataset, in one transaction.
struct FileIngest {
    var path: String
    var dataset: String
    var width: Int
    var skipBadRows: Bool
    var progress: ProgressReporter?

    func run(on connection: PostgresConnection) throws(IngestError) -> IngestOutcome {
        let started = Clock.monotonicSeconds
        let file = try InputFile(path: path)
        defer { file.close() }
        let parser = ImageLogParser()
        var processor: ParallelFrameProcessor?
        var inFlight: ParallelFrameProcessor.Job?
        var batch: [ImageLogRow] = []
        var loaded = 0, badRows = 0
        let info: DatasetInfo
        do {
            info = try FrameLoader(connection: connection, dataset: dataset).load(sourceFile: path) { append in
                // Hands the batch to the processors and the previous batch's frames to PostgreSQL, so
                // parsing, processing and loading overlap. One batch is processed at a time.
                func flush() throws {
                    let previous = try inFlight?.wait() ?? []
                    inFlight = nil
                    if let first = batch.first {
                        if processor == nil {
                            processor = try ParallelFrameProcessor(sourceWidth: first.pixels.count, targetWidth: width)
                        }
                        inFlight = processor!.start(batch)
                        batch = []
                    }
                    for frame in previous { try append(frame) }
                    loaded += previous.count
                }
                func take(_ line: ImageLogParser.Line) throws {
                    switch line {
                    case .row(let row):
                        batch.append(row)
                        if batch.count == 2048 { try flush() }
                    case .invalid(let error):
                        guard skipBadRows else { throw IngestError.badData(file: path, error) }
                        badRows += 1
                        Log.warning("skipped a bad row", ["file": .string(path), "line": .int(error.line),
                                                          "column": .int(error.column), "reason": .string(error.reason)])
                    }
                }
                try file.forEachChunk { chunk, bytesRead in
                    try parser.feed(chunk, take)
                    progress?.update(done: bytesRead, total: file.size)
                }
                try parser.finish(take)
                try flush()
                try flush()
                progress?.finish()
                guard loaded > 0 else { throw IngestError.emptyFile(file: path) }
                return (parser.width ?? 0, width)
            }
        } catch let error as IngestError {
            throw error
        } catch let error as CSVDataError {
            throw .badData(file: path, error)
        } catch let error as PostgresError {
            throw .database(error)
        } catch {
            throw .io("\(path): \(error)")
        }
        return IngestOutcome(file: path, dataset: info, rowsLoaded: loaded, emptyRowsSkipped: parser.emptyRowsSkipped,
                             badRowsSkipped: badRows, seconds: Clock.monotonicSeconds - started)
    }
}
