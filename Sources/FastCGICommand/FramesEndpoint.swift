import FramesCore
import FrameStore
import PNGEncoder
import PostgresClient

/// What `/frames` needs from the configuration.
struct FramesSettings {
    /// How long caches may keep an answer (`Cache-Control: max-age`), `FRAMES_CACHE_MAX_AGE`.
    let cacheMaxAge: Int
    let pngLevel: Int32
}

/// `GET /frames`: a depth range of one dataset, colormapped, as JSON, PNG or NDJSON.
struct FramesEndpoint {
    let database: DatabaseSession
    let colormaps: ColormapRegistry
    let renderers: RendererCache
    let settings: FramesSettings
    let streams: StreamPlaces

    func respond(to request: IncomingRequest) throws(RequestError) -> Response {
        let query = try FrameQuery(queryString: request.query, accept: request.accept)
        let colormap = try colormaps.requested(name: query.colormap, colors: query.colors)
        if let generation = query.generation { return try past(generation, query, request, colormap: colormap) }
        if let current = try database.notModified(request, dataset: query.dataset, caching: { caching(tag($0, query), query) }) {
            return current
        }
        if query.display != DisplayOptions() {
            let read = try database.run { reader throws(PostgresError) in
                try DisplayRead.perform(query, from: CurrentFrames(reader: reader, dataset: query.dataset))
            }
            guard let read else { throw try database.missingDataset(query.dataset) }
            return try displayed(read, query, colormap: colormap, caching: caching(tag(read.dataset, query), query))
        }
        let palette = try palette(colormap, vmin: query.vmin, vmax: query.vmax)
        let renderer = renderers.renderer(for: palette)
        switch query.format {
        case .json, .png: return try whole(query, renderer: renderer, palette: palette)
        case .ndjson: return try stream(query, renderer: renderer)
        }
    }

    /// A range with display options: read (with a dynamic window's context rows), normalized, binned,
    /// then coloured. The body is built whole in every format: a percentile stretch needs all the
    /// range's pixels before the first row, and binning bounds the rows by `height` anyway.
    private func displayed(_ read: DisplayRead, _ query: FrameQuery, colormap: Colormap,
                           caching: Caching) throws(RequestError) -> Response {
        let dataset = read.dataset
        let binning = query.display.height.flatMap {
            DepthBinning(range: query.range, datasetDepths: dataset.depthMin...dataset.depthMax, height: $0)
        }
        let shown = DisplayedRange(options: query.display, rows: read.rows, targets: read.targets, binning: binning,
                                   originalWidth: dataset.originalWidth, datasetHistogram: read.datasetHistogram)
        let palette = try palette(colormap, vmin: query.vmin ?? shown.valueWindow.vmin,
                                  vmax: query.vmax ?? shown.valueWindow.vmax)
        let filled = shown.rows.filled
        var representation = representation(query, dataset, filled)
        representation.caching = caching
        switch query.format {
        case .json, .ndjson:
            return .whole(representation, body: text(shown.rows, query.format, renderers.renderer(for: palette)))
        case .png:
            guard shown.rows.imageHeight > 0 else {
                representation.status = .noContent
                return .whole(representation, body: [])
            }
            return .whole(representation, body: try png(shown.rows, width: dataset.resizedWidth, palette: palette))
        }
    }

    /// The head of a whole body: its caching, and how many frames (or filled bins) at which depths.
    private func representation(_ query: FrameQuery, _ dataset: DatasetInfo, _ rows: [StoredFrame]) -> Representation {
        var representation = Representation(contentType: query.format.contentType,
                                            caching: caching(tag(dataset, query), query), frames: rows.count)
        representation.fields.append(HTTPField("X-Frame-Count", String(rows.count)))
        if let first = rows.first, let last = rows.last {
            representation.fields.append(HTTPField("X-Depth-Min", "\(first.depth)"))
            representation.fields.append(HTTPField("X-Depth-Max", "\(last.depth)"))
        }
        return representation
    }

    /// JSON and PNG bodies are built whole, so they go out with a Content-Length.
    private func whole(_ query: FrameQuery, renderer: FrameRenderer, palette: [UInt8]) throws(RequestError) -> Response {
        let found = try database.run { reader throws(PostgresError) in
            try reader.datasetFrames(dataset: query.dataset, range: query.range, limit: query.limit)
        }
        guard let (dataset, frames) = found else { throw try database.missingDataset(query.dataset) }
        var representation = representation(query, dataset, frames)
        if frames.isEmpty, query.format == .png {
            // A PNG cannot have zero rows: an empty range is "no content", with the count header.
            representation.status = .noContent
            return .whole(representation, body: [])
        }
        let body = query.format == .json
            ? text(.frames(frames), .json, renderer)
            : try png(.frames(frames), width: dataset.resizedWidth, palette: palette)
        return .whole(representation, body: body)
    }

    /// NDJSON goes out as rows arrive from PostgreSQL: memory stays flat for any range. The dataset's
    /// row comes first in the same statement, so the head (ETag, or a 404) is known before any frame.
    private func stream(_ query: FrameQuery, renderer: FrameRenderer) throws(RequestError) -> Response {
        try streams.claim()
        let dataset = try database.run { reader throws(PostgresError) in
            try reader.streamDatasetFrames(dataset: query.dataset, range: query.range, limit: query.limit)
        }
        guard let dataset else { throw try database.missingDataset(query.dataset) }
        let representation = Representation(contentType: query.format.contentType,
                                            caching: caching(tag(dataset, query), query))
        let database = self.database
        return .stream(representation) { (out: inout [UInt8]) throws(RequestError) -> Bool in
            // Rows already sent cannot be sent again: a lost connection ends the stream, no retry.
            let next = try database.run(retrying: false) { reader throws(PostgresError) in try reader.nextFrame() }
            guard let frame = next else { return false }
            renderer.appendNDJSON(CollectionOfOne(frame), to: &out)
            return true
        }
    }

    /// `generation=G`: the range as it was then, from the kept history. It can never change, so it is
    /// cached as immutable and an `If-None-Match` for it is answered from the tag alone. NDJSON is built
    /// whole here: `limit` (or `height`) bounds it. Display options read the generation's rows
    /// (`PastFrames`), since packs and histograms are kept for the current generation only.
    private func past(_ generation: Int64, _ query: FrameQuery, _ request: IncomingRequest,
                      colormap: Colormap) throws(RequestError) -> Response {
        let dataset = try database.dataset(query.dataset, asOf: generation)
        let name = dataset.name
        let tag = tag(dataset, query)
        let caching = Caching.immutable(tag, variesWithAccept: query.formatNegotiated)
        if let condition = request.ifNoneMatch, tag.matches(ifNoneMatch: condition) { return .notModified(caching) }
        if query.display != DisplayOptions() {
            let read = try database.asOf { history throws(GenerationReader.Failure) in
                try DisplayRead.perform(query, from: PastFrames(history: history, dataset: dataset, generation: generation))
            }
            guard let read else { throw .unknownDataset(name) }
            return try displayed(read, query, colormap: colormap, caching: caching)
        }
        let palette = try palette(colormap, vmin: query.vmin, vmax: query.vmax)
        let frames = try database.asOf { history throws(GenerationReader.Failure) in
            try history.frames(dataset: name, asOf: generation, range: query.range, limit: query.limit)
        }
        var representation = representation(query, dataset, frames)
        representation.caching = caching
        if frames.isEmpty, query.format == .png {
            representation.status = .noContent
            return .whole(representation, body: [])
        }
        let renderer = renderers.renderer(for: palette)
        let body = query.format == .png
            ? try png(.frames(frames), width: dataset.resizedWidth, palette: palette)
            : text(.frames(frames), query.format, renderer)
        return .whole(representation, body: body)
    }

    /// A body is fully determined by the dataset's generation and the normalized query.
    private func tag(_ dataset: DatasetInfo, _ query: FrameQuery) -> EntityTag {
        EntityTag(dataset: dataset.name, generation: dataset.generation, canonicalQuery: query.canonicalKey)
    }

    private func caching(_ tag: EntityTag, _ query: FrameQuery) -> Caching {
        .validated(tag, maxAge: settings.cacheMaxAge, variesWithAccept: query.formatNegotiated)
    }

    private func palette(_ colormap: Colormap, vmin: Double?, vmax: Double?) throws(RequestError) -> [UInt8] {
        do {
            return try colormap.palette(vmin: vmin, vmax: vmax)
        } catch {
            throw .badParameter(name: "vmin", detail: "vmin/vmax: \(error.message)")
        }
    }

    /// A JSON array or NDJSON lines of the rows that hold data.
    private func text(_ rows: DisplayedRows, _ format: FrameFormat, _ renderer: FrameRenderer) -> [UInt8] {
        let filled = rows.filled
        var body: [UInt8] = []
        body.reserveCapacity(2 + filled.count * FrameRenderer.estimatedJSONObjectSize(width: filled.first?.pixels.count ?? 0))
        if format == .ndjson { renderer.appendNDJSON(rows, to: &body) } else { renderer.appendJSONArray(rows, to: &body) }
        return body
    }

    /// Empty bins are transparent: a spare palette index when there is one, else RGBA.
    private func png(_ rows: DisplayedRows, width: Int, palette: [UInt8]) throws(RequestError) -> [UInt8] {
        do {
            switch BinnedRaster(rows: rows, width: width, palette: palette) {
            case .palette(let indices, let transparentIndex):
                return try PalettePNG.encode(width: width, height: rows.imageHeight, palette: palette, indices: indices,
                                             transparentIndex: transparentIndex, level: settings.pngLevel)
            case .rgba(let pixels):
                return try RGBAPNG.encode(width: width, height: rows.imageHeight, pixels: pixels, level: settings.pngLevel)
            }
        } catch {
            throw .internalError(reason: "PNG encoding failed: \(error)")
        }
    }
}

extension ColormapRegistry {
    /// The map a request names (`colormap=`, or `colors=` for a custom one), or a 400 naming the
    /// parameter at fault.
    func requested(name: String?, colors: String?) throws(RequestError) -> Colormap {
        do {
            return try resolve(name: name, colors: colors)
        } catch {
            let parameter = colors != nil ? "colors" : "colormap"
            throw .badParameter(name: parameter, detail: "\(parameter): \(error.message)")
        }
    }
}
