@testable import FastCGICommand
import FramesCore
import FrameStore
import GzipCodec

/// Datasets in memory, with every generation kept: what the web layer reads, without PostgreSQL.
/// Counts the reads, so tests can tell a 304 answered from a remembered row from one that read frames.
final class MemoryFrameData: FrameData {
    struct Version {
        var info: DatasetInfo
        var frames: [StoredFrame]
        var pruned = false
    }

    /// Each dataset's generations, oldest first; the last is the current one.
    var versions: [String: [Version]] = [:]
    /// When set, every read fails with it (the database went away).
    var failure: RequestError?
    var ready = (connected: true, tablesExist: true)
    /// A stream fails after this many frames, as when the server goes away mid-statement.
    var streamFailsAfter: Int?
    private(set) var frameReads = 0
    private(set) var streamedFrames = 0

    func add(_ name: String, frames: [StoredFrame], width: Int = 4, generation: Int64 = 1) {
        let info = DatasetInfo(name: name, originalWidth: width * 2, resizedWidth: width,
                               depthMin: frames.first?.depth ?? 0, depthMax: frames.last?.depth ?? 0,
                               frameCount: frames.count, generation: generation)
        versions[name, default: []].append(Version(info: info, frames: frames))
    }

    func readiness() -> (connected: Bool, tablesExist: Bool) { ready }

    func datasets() throws(RequestError) -> [DatasetInfo] {
        try check()
        return versions.keys.sorted().compactMap { versions[$0]?.last?.info }
    }

    func dataset(named name: String?) throws(RequestError) -> DatasetInfo? {
        try check()
        return current(name)?.info
    }

    func recentDataset(named name: String?) throws(RequestError) -> DatasetInfo? {
        try dataset(named: name)
    }

    func dataset(_ name: String?, asOf generation: Int64) throws(RequestError) -> DatasetInfo {
        try version(name, generation).info
    }

    func frames(dataset: String?, range: DepthRange, limit: Int) throws(RequestError)
        -> (dataset: DatasetInfo, frames: [StoredFrame])? {
        try check()
        frameReads += 1
        guard let version = current(dataset) else { return nil }
        return (version.info, Array(version.frames.filter { range.lower...range.upper ~= $0.depth }.prefix(limit)))
    }

    func streamFrames(dataset: String?, range: DepthRange, limit: Int) throws(RequestError)
        -> (dataset: DatasetInfo, next: NextFrame)? {
        guard let (info, frames) = try frames(dataset: dataset, range: range, limit: limit) else { return nil }
        var remaining = frames[...]
        return (info, { [self] () throws(RequestError) -> StoredFrame? in
            try check()
            if let streamFailsAfter, streamedFrames >= streamFailsAfter { throw .databaseUnavailable(retryAfterSeconds: 5) }
            guard let frame = remaining.popFirst() else { return nil }
            streamedFrames += 1
            return frame
        })
    }

    func displayRead(_ query: FrameQuery) throws(RequestError) -> DisplayRead? {
        try check()
        frameReads += 1
        guard let version = current(query.dataset) else { return nil }
        return DisplayRead.perform(query, from: Frames(version: version))
    }

    func frames(of dataset: DatasetInfo, asOf generation: Int64, range: DepthRange, limit: Int) throws(RequestError)
        -> [StoredFrame] {
        frameReads += 1
        return Array(try version(dataset.name, generation).frames.filter { range.lower...range.upper ~= $0.depth }.prefix(limit))
    }

    func displayRead(_ query: FrameQuery, of dataset: DatasetInfo, asOf generation: Int64) throws(RequestError) -> DisplayRead? {
        frameReads += 1
        return DisplayRead.perform(query, from: Frames(version: try version(dataset.name, generation)))
    }

    func rangeHistograms(dataset: String?, span: ClosedRange<Double>) throws(RequestError) -> RangeHistograms? {
        try check()
        guard let version = current(dataset) else { return nil }
        // As if one stored block covered the whole range.
        let rows = version.frames.filter { span ~= $0.depth }.map(\.pixels)
        var sources = RangeHistograms(dataset: version.info)
        sources.blocks = PixelHistogram(rows: rows)
        sources.blockFrames = rows.count
        return sources
    }

    func compressedOriginals(of dataset: DatasetInfo, asOf generation: Int64, span: ClosedRange<Double>)
        throws(RequestError) -> [[UInt8]] {
        let compressor = try! GzipCompressor()
        return try version(dataset.name, generation).frames.filter { span ~= $0.depth }.map {
            // The originals are twice as wide as the resized rows: each pixel twice.
            try! compressor.compress($0.pixels.flatMap { [$0, $0] })
        }
    }

    func generations(of dataset: String) throws(RequestError) -> [GenerationRecord] {
        try check()
        guard let all = versions[dataset] else { throw .unknownDataset(dataset) }
        return all.reversed().map {
            GenerationRecord(dataset: $0.info, createdAt: "2026-01-01T00:00:00Z", command: "frames-ingest",
                             sourceFile: nil, sourceSHA256: nil, note: nil, host: nil,
                             counts: FrameChangeCounts(added: $0.frames.count), pruned: $0.pruned)
        }
    }

    func changes(of dataset: String, from: Int64, to: Int64) throws(RequestError) -> [DepthChange] {
        let old = Set(try version(dataset, from).frames.map(\.depth))
        let new = Set(try version(dataset, to).frames.map(\.depth))
        return (new.subtracting(old).map { DepthChange(depth: $0, kind: .added) }
                + old.subtracting(new).map { DepthChange(depth: $0, kind: .removed) }).sorted { $0.depth < $1.depth }
    }

    private func check() throws(RequestError) {
        if let failure { throw failure }
    }

    private func current(_ name: String?) -> Version? {
        if let name { return versions[name]?.last }
        return versions.count == 1 ? versions.first?.value.last : nil
    }

    private func version(_ name: String?, _ generation: Int64) throws(RequestError) -> Version {
        try check()
        guard let name = name ?? (versions.count == 1 ? versions.first?.key : nil), let all = versions[name] else {
            throw .unknownDataset(name ?? "(none loaded yet)")
        }
        guard let version = all.first(where: { $0.info.generation == generation }), !version.pruned else {
            throw .unreadableGeneration(detail: "dataset \(name) has no generation \(generation)")
        }
        return version
    }

    /// One version's frames as a display source: every read is the whole of the span.
    private struct Frames: DisplaySource {
        typealias Failure = Never
        let version: Version

        func frames(span: ClosedRange<Double>, limit: Int?) -> (dataset: DatasetInfo, frames: [StoredFrame])? {
            let inSpan = version.frames.filter { span ~= $0.depth }
            return (version.info, limit.map { Array(inSpan.prefix($0)) } ?? inSpan)
        }

        func everyFrame(span: ClosedRange<Double>) -> (dataset: DatasetInfo, frames: [StoredFrame])? {
            frames(span: span, limit: nil)
        }

        func resizedHistogram(of dataset: DatasetInfo) -> PixelHistogram {
            PixelHistogram(rows: version.frames.map(\.pixels))
        }
    }
}
