import FramesCore
import FrameStore
import PostgresClient

/// The endpoints' reads, as PostgreSQL answers them.
extension DatabaseSession: FrameData {
    func datasets() throws(RequestError) -> [DatasetInfo] {
        try run { readers throws(PostgresError) in try readers.frames.datasets() }
    }

    func dataset(named name: String?) throws(RequestError) -> DatasetInfo? {
        try run { readers throws(PostgresError) in try readers.frames.dataset(named: name) }
    }

    /// Often no round trip: a row read a moment ago (RecentDatasets) answers.
    func recentDataset(named name: String?) throws(RequestError) -> DatasetInfo? {
        try recent.dataset(named: name) { (name) throws(RequestError) in try dataset(named: name) }
    }

    func dataset(_ name: String?, asOf generation: Int64) throws(RequestError) -> DatasetInfo {
        let resolved: String
        if let name {
            resolved = name
        } else {
            guard let only = try dataset(named: nil) else { throw try missingDataset(nil) }
            resolved = only.name
        }
        return try asOf { history throws(GenerationReader.Failure) in try history.dataset(resolved, asOf: generation) }
    }

    func frames(dataset: String?, range: DepthRange, limit: Int) throws(RequestError)
        -> (dataset: DatasetInfo, frames: [StoredFrame])? {
        try run { readers throws(PostgresError) in try readers.frames.datasetFrames(dataset: dataset, range: range, limit: limit) }
    }

    func streamFrames(dataset: String?, range: DepthRange, limit: Int) throws(RequestError)
        -> (dataset: DatasetInfo, next: NextFrame)? {
        let found = try run { readers throws(PostgresError) in
            try readers.frames.streamDatasetFrames(dataset: dataset, range: range, limit: limit)
        }
        guard let found else { return nil }
        return (found, { [self] () throws(RequestError) -> StoredFrame? in
            // Rows already sent cannot be sent again: a lost connection ends the stream, no retry.
            try run(retrying: false) { readers throws(PostgresError) in try readers.frames.nextFrame() }
        })
    }

    func displayRead(_ query: FrameQuery) throws(RequestError) -> DisplayRead? {
        try run { readers throws(PostgresError) in
            try DisplayRead.perform(query, from: CurrentFrames(reader: readers.frames, dataset: query.dataset))
        }
    }

    func frames(of dataset: DatasetInfo, asOf generation: Int64, range: DepthRange, limit: Int) throws(RequestError)
        -> [StoredFrame] {
        try asOf { history throws(GenerationReader.Failure) in
            try history.frames(dataset: dataset.name, asOf: generation, range: range, limit: limit)
        }
    }

    func displayRead(_ query: FrameQuery, of dataset: DatasetInfo, asOf generation: Int64) throws(RequestError) -> DisplayRead? {
        try asOf { history throws(GenerationReader.Failure) in
            try DisplayRead.perform(query, from: PastFrames(history: history, dataset: dataset, generation: generation))
        }
    }

    func rangeHistograms(dataset: String?, span: ClosedRange<Double>) throws(RequestError) -> RangeHistograms? {
        try run { readers throws(PostgresError) in try readers.frames.rangeHistograms(dataset: dataset, span: span) }
    }

    func compressedOriginals(of dataset: DatasetInfo, asOf generation: Int64, span: ClosedRange<Double>)
        throws(RequestError) -> [[UInt8]] {
        try asOf { history throws(GenerationReader.Failure) in
            try history.compressedOriginals(dataset: dataset.name, asOf: generation, span: span)
        }
    }

    func generations(of dataset: String) throws(RequestError) -> [GenerationRecord] {
        try asOf { history throws(GenerationReader.Failure) in try history.generations(of: dataset) }
    }

    func changes(of dataset: String, from: Int64, to: Int64) throws(RequestError) -> [DepthChange] {
        try asOf { history throws(GenerationReader.Failure) in try history.changes(of: dataset, from: from, to: to) }
    }
}
