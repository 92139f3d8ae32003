import FramesCore
import FrameStore

/// The next frame of a streamed range, or nil once the statement has ended.
typealias NextFrame = () throws(RequestError) -> StoredFrame?

/// What the endpoints read, in their terms: every failure is already the `RequestError` it answers
/// with. PostgreSQL (`DatabaseSession`) in production; the web layer's tests give it an in-memory one.
/// A `dataset` of nil means the only dataset, when there is exactly one.
protocol FrameData: AnyObject {
    /// For `/ready`: can the database be reached, and is the schema there?
    func readiness() -> (connected: Bool, tablesExist: Bool)
    func datasets() throws(RequestError) -> [DatasetInfo]
    /// The current row of the dataset named (or the only one); nil when there is none.
    func dataset(named name: String?) throws(RequestError) -> DatasetInfo?
    /// The same, possibly as read a moment ago: enough to answer a revalidation.
    func recentDataset(named name: String?) throws(RequestError) -> DatasetInfo?
    /// The dataset named (or the only one) as `generation` left it; a 404 when there is no such thing.
    func dataset(_ name: String?, asOf generation: Int64) throws(RequestError) -> DatasetInfo

    /// The current frames of a range; nil when there is no such dataset.
    func frames(dataset: String?, range: DepthRange, limit: Int) throws(RequestError)
        -> (dataset: DatasetInfo, frames: [StoredFrame])?
    /// The same, row by row as the client takes them: the dataset first, then `NextFrame` until nil.
    func streamFrames(dataset: String?, range: DepthRange, limit: Int) throws(RequestError)
        -> (dataset: DatasetInfo, next: NextFrame)?
    /// What a display request reads from the current generation; nil when there is no such dataset.
    func displayRead(_ query: FrameQuery) throws(RequestError) -> DisplayRead?
    /// The frames of a range as of `generation`.
    func frames(of dataset: DatasetInfo, asOf generation: Int64, range: DepthRange, limit: Int) throws(RequestError)
        -> [StoredFrame]
    func displayRead(_ query: FrameQuery, of dataset: DatasetInfo, asOf generation: Int64) throws(RequestError) -> DisplayRead?

    /// What `/statistics` merges for the current generation; nil when there is no such dataset.
    func rangeHistograms(dataset: String?, span: ClosedRange<Double>) throws(RequestError) -> RangeHistograms?
    /// Every original row of a span as of `generation`, gzip-compressed as stored.
    func compressedOriginals(of dataset: DatasetInfo, asOf generation: Int64, span: ClosedRange<Double>)
        throws(RequestError) -> [[UInt8]]

    /// Newest first; a 404 when there is no such dataset.
    func generations(of dataset: String) throws(RequestError) -> [GenerationRecord]
    func changes(of dataset: String, from: Int64, to: Int64) throws(RequestError) -> [DepthChange]
}

extension FrameData {
    /// Why no dataset was found: unknown, none loaded, or several and none named (only an unnamed
    /// request pays for this second look).
    func missingDataset(_ name: String?) throws(RequestError) -> RequestError {
        if let name { return .unknownDataset(name) }
        let datasets = try datasets()
        switch datasets.count {
        case 0: return .unknownDataset("(none loaded yet)")
        case 1: return .unknownDataset(datasets[0].name)  // it appeared a moment ago: as good as unknown then
        default:
            return .badParameter(name: "dataset", detail: "several datasets exist; name one with dataset=: "
                                 + datasets.map(\.name).joined(separator: ", "))
        }
    }
}
