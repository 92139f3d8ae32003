import FramesCore
import FrameStore
import PNGEncoder
import PostgresClient

/// `GET /frames`: a depth range of one dataset, colormapped, as JSON, PNG or NDJSON.
struct FramesEndpoint {
    let handler: RequestHandler
    let request: IncomingRequest

    func respond(sink: ResponseSink) throws(RequestError) -> RequestSummary {
        let query = try FrameQuery(queryString: request.query, accept: request.accept)
        let palette = try palette(for: query)
        let renderer = handler.renderer(for: palette)
        switch query.format {
        case .json, .png:
            return try whole(query, renderer: renderer, palette: palette, sink: sink)
        case .ndjson:
            let dataset = try chooseDataset(query.dataset)
            let (head, tag) = cacheHead(dataset, query)
            if notModified(tag, head, sink: sink) { return RequestSummary(route: Route.frames.rawValue, status: 304) }
            return try stream(dataset: dataset, query: query, renderer: renderer, head: head, sink: sink)
        }
    }

    /// JSON and PNG bodies are built whole, so they go out with a Content-Length.
    private func whole(_ query: FrameQuery, renderer: FrameRenderer, palette: [UInt8],
                       sink: ResponseSink) throws(RequestError) -> RequestSummary {
        let found = try handler.database.run { reader throws(PostgresError) in
            try reader.datasetFrames(dataset: query.dataset, range: query.range, limit: query.limit)
        }
        guard let (dataset, frames) = found else { throw try missingDataset(query.dataset) }
        var (head, tag) = cacheHead(dataset, query)
        if notModified(tag, head, sink: sink) { return RequestSummary(route: Route.frames.rawValue, status: 304) }
        head.add("X-Frame-Count", String(frames.count))
        if let first = frames.first, let last = frames.last {
            head.add("X-Depth-Min", "\(first.depth)")
            head.add("X-Depth-Max", "\(last.depth)")
        }
        if frames.isEmpty, query.format == .png {
            // A PNG cannot have zero rows: an empty range is "no content", with the count header.
            head.status = HTTPStatus(code: 204, reason: "No Content")
            sink.write(head.bytes)
            return RequestSummary(route: Route.frames.rawValue, status: 204)
        }
        let body = query.format == .json
            ? json(frames, renderer)
            : try png(frames, width: dataset.resizedWidth, palette: palette)
        head.add("Content-Length", String(body.count))
        handler.send(head, body, request: request, sink: sink)
        return RequestSummary(route: Route.frames.rawValue, status: 200, frames: frames.count, bytes: body.count)
    }

    /// The head every answer shares: content type and the validators caches need.
    private func cacheHead(_ dataset: DatasetInfo, _ query: FrameQuery) -> (ResponseHead, EntityTag) {
        let tag = EntityTag(dataset: dataset.name, generation: dataset.generation, canonicalQuery: query.canonicalKey)
        var head = ResponseHead(status: .ok)
        head.add("Content-Type", query.format.contentType)
        head.add("ETag", tag.headerValue)
        // Cacheable for a bounded time: after a re-ingest a cache may serve the old body for at most
        // max-age seconds, then revalidates and gets the new generation's tag.
        head.add("Cache-Control", "public, max-age=\(handler.cacheMaxAge)")
        head.add("Vary", "Accept")
        return (head, tag)
    }

    /// Answers 304 when the client's `If-None-Match` names the current tag.
    private func notModified(_ tag: EntityTag, _ head: ResponseHead, sink: ResponseSink) -> Bool {
        guard let condition = request.ifNoneMatch, tag.matches(ifNoneMatch: condition) else { return false }
        var unchanged = ResponseHead(status: .notModified)
        for name in ["ETag", "Cache-Control", "Vary"] { unchanged.add(name, head.value(of: name)!) }
        sink.write(unchanged.bytes)
        return true
    }

    private func palette(for query: FrameQuery) throws(RequestError) -> [UInt8] {
        let colormap: Colormap
        do {
            colormap = try handler.colormaps.resolve(name: query.colormap, colors: query.colors)
        } catch {
            let name = query.colors != nil ? "colors" : "colormap"
            throw .badParameter(name: name, detail: "\(name): \(error.message)")
        }
        do {
            return try colormap.palette(vmin: query.vmin, vmax: query.vmax)
        } catch {
            throw .badParameter(name: "vmin", detail: "vmin/vmax: \(error.message)")
        }
    }

    /// Why no dataset was found: unknown, none loaded, or several and none named.
    private func missingDataset(_ name: String?) throws(RequestError) -> RequestError {
        _ = try chooseDataset(name)
        // It appeared between the two queries: as good as unknown a moment ago.
        return .unknownDataset(name ?? "")
    }

    /// The named dataset, or the only one; otherwise the error that says why not.
    private func chooseDataset(_ name: String?) throws(RequestError) -> DatasetInfo {
        let datasets = try handler.database.run { reader throws(PostgresError) in try reader.datasets() }
        if let name {
            guard let found = datasets.first(where: { $0.name == name }) else { throw .unknownDataset(name) }
            return found
        }
        switch datasets.count {
        case 1: return datasets[0]
        case 0: throw .unknownDataset("(none loaded yet)")
        default:
            throw .badParameter(name: "dataset", detail: "several datasets exist; name one with dataset=: "
                                + datasets.map(\.name).joined(separator: ", "))
        }
    }

    private func json(_ frames: [StoredFrame], _ renderer: FrameRenderer) -> [UInt8] {
        var body: [UInt8] = []
        body.reserveCapacity(2 + frames.count * FrameRenderer.estimatedJSONObjectSize(width: frames.first?.pixels.count ?? 0))
        renderer.appendJSONArray(frames, to: &body)
        return body
    }

    private func png(_ frames: [StoredFrame], width: Int, palette: [UInt8]) throws(RequestError) -> [UInt8] {
        var indices: [UInt8] = []
        indices.reserveCapacity(width * frames.count)
        for frame in frames { indices.append(contentsOf: frame.pixels) }
        do {
            return try PalettePNG.encode(width: width, height: frames.count, palette: palette, indices: indices,
                                         level: handler.pngLevel)
        } catch {
            throw .internalError(reason: "PNG encoding failed: \(error)")
        }
    }

    /// NDJSON goes out as rows arrive from PostgreSQL, flushed in bounded chunks: memory stays flat for
    /// any range, and nginx is told not to buffer it.
    private func stream(dataset: DatasetInfo, query: FrameQuery, renderer: FrameRenderer, head: ResponseHead,
                        sink: ResponseSink) throws(RequestError) -> RequestSummary {
        var head = head
        head.add("X-Accel-Buffering", "no")
        var started = false, count = 0, bytes = 0
        var chunk: [UInt8] = []
        chunk.reserveCapacity(1 << 16)
        do {
            try handler.database.run(retrying: false) { reader throws(PostgresError) in
                try reader.streamFrames(dataset: dataset.name, range: query.range, limit: query.limit) { frame in
                    if !started {
                        sink.write(head.bytes)
                        started = true
                    }
                    renderer.appendNDJSON(CollectionOfOne(frame), to: &chunk)
                    count += 1
                    if chunk.count >= 1 << 15 {
                        if request.method != "HEAD" { sink.write(chunk) }
                        bytes += chunk.count
                        chunk.removeAll(keepingCapacity: true)
                        sink.flush()
                    }
                }
            }
        } catch {
            // Once the head is out the status cannot change: end the stream short; the client sees a
            // truncated body, and the log says why.
            guard started else { throw error }
            return RequestSummary(route: Route.frames.rawValue, status: 200, frames: count, bytes: bytes)
        }
        if !started { sink.write(head.bytes) }
        if request.method != "HEAD" { sink.write(chunk) }
        bytes += chunk.count
        return RequestSummary(route: Route.frames.rawValue, status: 200, frames: count, bytes: bytes)
    }
}
