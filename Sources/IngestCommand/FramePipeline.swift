import FramesCore
import FrameStore
import GzipCodec

/// Moves parsed rows to the load session in batches, so that parsing, processing and loading overlap:
/// while one batch is processed on the cores, the previous batch's frames go to PostgreSQL and the
/// caller parses the next. One batch is processed at a time.
final class FramePipeline {
    private let session: FrameLoadSession
    private let targetWidth: Int
    private var processor: ParallelFrameProcessor?
    private var inFlight: ParallelFrameProcessor.Job?
    private var batch: [ImageLogRow] = []
    private(set) var framesLoaded = 0

    /// Rows per batch: enough to keep every core busy, small enough to bound memory.
    private static let batchSize = 2048

    init(session: FrameLoadSession, targetWidth: Int) {
        self.session = session
        self.targetWidth = targetWidth
    }

    func add(_ row: ImageLogRow) throws(IngestError) {
        batch.append(row)
        if batch.count == Self.batchSize { try advance() }
    }

    /// Processes and loads whatever is still buffered or in flight.
    func finish() throws(IngestError) {
        try advance()
        try advance()
    }

    /// Starts the buffered batch and loads the one that was in flight.
    private func advance() throws(IngestError) {
        let previous: [ProcessedRow]
        do {
            previous = try inFlight?.wait() ?? []
            inFlight = nil
            if let first = batch.first {
                if processor == nil {
                    processor = try ParallelFrameProcessor(sourceWidth: first.pixels.count, targetWidth: targetWidth,
                                                           stored: session.storedHashes)
                }
                inFlight = processor!.start(batch)
                batch = []
            }
        } catch {
            throw .compression(error)
        }
        do {
            for row in previous {
                switch row {
                case .frame(let frame): try session.append(frame)
                case .unchanged(let depth, let original, let resized):
                    session.appendUnchanged(depth: depth, original: original, resized: resized)
                }
            }
        } catch {
            throw .database(error)
        }
        framesLoaded += previous.count
    }
}
