import FramesCore
import FrameStore
import PostgresClient

/// Where a display read (`DisplayRead`) takes one dataset's frames from: the current generation, with
/// the packs and histogram kept beside it, or a past one, read from the kept history.
protocol DisplaySource {
    associatedtype Failure: Error
    /// The frames of a span in depth order, `limit` nil for all of them; nil when there is no such dataset.
    func frames(span: ClosedRange<Double>, limit: Int?) throws(Failure) -> (dataset: DatasetInfo, frames: [StoredFrame])?
    /// Every frame of a span, by the cheapest way there is.
    func everyFrame(span: ClosedRange<Double>) throws(Failure) -> (dataset: DatasetInfo, frames: [StoredFrame])?
    /// The histogram of every resized pixel of the dataset, for static normalization.
    func resizedHistogram(of dataset: DatasetInfo) throws(Failure) -> PixelHistogram
}

/// The current generation of the dataset named (or the only one).
struct CurrentFrames: DisplaySource {
    let reader: FrameReader
    let dataset: String?

    func frames(span: ClosedRange<Double>, limit: Int?) throws(PostgresError) -> (dataset: DatasetInfo, frames: [StoredFrame])? {
        try reader.datasetFrames(dataset: dataset, span: span, limit: limit)
    }

    /// From the packs kept at ingest, or row by row for a dataset without them.
    func everyFrame(span: ClosedRange<Double>) throws(PostgresError) -> (dataset: DatasetInfo, frames: [StoredFrame])? {
        guard let packed = try reader.packedFrames(dataset: dataset, span: span) else { return nil }
        if let frames = packed.frames { return (packed.dataset, frames) }
        return try reader.datasetFrames(dataset: packed.dataset.name, span: span, limit: nil)
    }

    /// Stored at ingest; a dataset loaded before ingests kept it has every row read and counted.
    func resizedHistogram(of dataset: DatasetInfo) throws(PostgresError) -> PixelHistogram {
        if let stored = try reader.datasetHistogram(dataset: dataset.name) { return stored }
        let all = try everyFrame(span: -Double.infinity...Double.infinity)
        return PixelHistogram(rows: (all?.frames ?? []).lazy.map(\.pixels))
    }
}

/// A dataset as a past generation left it. Packs and histograms exist for the current generation
/// only, so everything is read row by row and counted here: slower than the current generation's
/// reads, and cached as immutable.
struct PastFrames: DisplaySource {
    let history: GenerationReader
    /// As of `generation`.
    let dataset: DatasetInfo
    let generation: Int64

    func frames(span: ClosedRange<Double>, limit: Int?) throws(GenerationReader.Failure)
        -> (dataset: DatasetInfo, frames: [StoredFrame])? {
        (dataset, try history.frames(dataset: dataset.name, asOf: generation, span: span, limit: limit))
    }

    func everyFrame(span: ClosedRange<Double>) throws(GenerationReader.Failure) -> (dataset: DatasetInfo, frames: [StoredFrame])? {
        try frames(span: span, limit: nil)
    }

    func resizedHistogram(of dataset: DatasetInfo) throws(GenerationReader.Failure) -> PixelHistogram {
        let all = try frames(span: -Double.infinity...Double.infinity, limit: nil)
        return PixelHistogram(rows: (all?.frames ?? []).lazy.map(\.pixels))
    }
}
