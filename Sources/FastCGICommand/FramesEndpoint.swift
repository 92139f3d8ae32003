import Digests
import FramesCore
import PNGEncoder

/// What `/frames` needs from the configuration.
struct FramesSettings {
    /// How long caches may keep an answer (`Cache-Control: max-age`), `FRAMES_CACHE_MAX_AGE`.
    let cacheMaxAge: Int
    let pngLevel: Int32
}

/// `GET /frames`: a depth range of one dataset, colormapped, as JSON, PNG or NDJSON.
struct FramesEndpoint {
    let data: FrameData
    let colormaps: ColormapRegistry
    let renderers: RendererCache
    let settings: FramesSettings
    let streams: StreamSlots

    func respond(to query: FrameQuery, _ condition: ConditionalRequest) throws(RequestError) -> Response {
        let colormap = try colormaps.requested(name: query.colormap, colors: query.colors)
        if let generation = query.generation { return try past(generation, query, condition, colormap: colormap) }
        if let current = try condition.notModified(dataset: query.dataset, in: data,
                                                   caching: { caching(tag($0, query), query) }) {
            return current
        }
        if query.display != DisplayOptions() {
            guard let read = try data.displayRead(query) else { throw try data.missingDataset(query.dataset) }
            return try displayed(read, query, colormap: colormap, caching: caching(tag(read.dataset, query), query))
        }
        let palette = try colormap.requestedPalette(vmin: query.vmin, vmax: query.vmax)
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
        let palette = try colormap.requestedPalette(vmin: query.vmin ?? shown.valueWindow.vmin,
                                                    vmax: query.vmax ?? shown.valueWindow.vmax)
        var representation = representation(query, dataset, shown.rows.filled)
        representation.caching = caching
        return try body(shown.rows, query, dataset, representation, palette: palette)
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
        let found = try data.frames(dataset: query.dataset, range: query.range, limit: query.limit)
        guard let (dataset, frames) = found else { throw try data.missingDataset(query.dataset) }
        return try body(.frames(frames), query, dataset, representation(query, dataset, frames),
                        palette: palette, renderer: renderer)
    }

    /// The body of a whole answer in the query's format. A PNG cannot have zero rows: an image without
    /// any is "no content", with the count header.
    private func body(_ rows: DisplayedRows, _ query: FrameQuery, _ dataset: DatasetInfo,
                      _ representation: Representation, palette: [UInt8],
                      renderer: FrameRenderer? = nil) throws(RequestError) -> Response {
        switch query.format {
        case .json, .ndjson:
            return .whole(representation, body: text(rows, query.format, renderer ?? renderers.renderer(for: palette)))
        case .png:
            guard rows.imageHeight > 0 else {
                var empty = representation
                empty.status = .noContent
                return .whole(empty, body: [])
            }
            return .whole(representation, body: try png(rows, width: dataset.resizedWidth, palette: palette))
        }
    }

    /// NDJSON goes out as rows arrive from the database: memory stays flat for any range. The dataset's
    /// row comes first in the same statement, so the head (ETag, or a 404) is known before any frame.
    private func stream(_ query: FrameQuery, renderer: FrameRenderer) throws(RequestError) -> Response {
        try streams.claim()
        let found = try data.streamFrames(dataset: query.dataset, range: query.range, limit: query.limit)
        guard let (dataset, next) = found else { throw try data.missingDataset(query.dataset) }
        let representation = Representation(contentType: query.format.contentType,
                                            caching: caching(tag(dataset, query), query))
        return .stream(representation) { (out: inout [UInt8]) throws(RequestError) -> Bool in
            guard let frame = try next() else { return false }
            renderer.appendNDJSON(CollectionOfOne(frame), to: &out)
            return true
        }
    }

    /// `generation=G`: the range as it was then, from the kept history. It can never change, so it is
    /// cached as immutable and an `If-None-Match` for it is answered from the tag alone. NDJSON is built
    /// whole here: `limit` (or `height`) bounds it. Display options read the generation's rows, since
    /// packs and histograms are kept for the current generation only.
    private func past(_ generation: Int64, _ query: FrameQuery, _ condition: ConditionalRequest,
                      colormap: Colormap) throws(RequestError) -> Response {
        let dataset = try data.dataset(query.dataset, asOf: generation)
        let caching = Caching.immutable(tag(dataset, query), variesWithAccept: query.formatNegotiated)
        if let unchanged = condition.notModified(caching) { return unchanged }
        if query.display != DisplayOptions() {
            guard let read = try data.displayRead(query, of: dataset, asOf: generation) else {
                throw .unknownDataset(dataset.name)
            }
            return try displayed(read, query, colormap: colormap, caching: caching)
        }
        let palette = try colormap.requestedPalette(vmin: query.vmin, vmax: query.vmax)
        let frames = try data.frames(of: dataset, asOf: generation, range: query.range, limit: query.limit)
        var representation = representation(query, dataset, frames)
        representation.caching = caching
        return try body(.frames(frames), query, dataset, representation, palette: palette)
    }

    /// A body is fully determined by the dataset's generation and the normalized query.
    private func tag(_ dataset: DatasetInfo, _ query: FrameQuery) -> EntityTag {
        EntityTag(dataset: dataset.name, generation: dataset.generation, canonicalQuery: query.canonicalKey, hashes: SystemHashes())
    }

    private func caching(_ tag: EntityTag, _ query: FrameQuery) -> Caching {
        .validated(tag, maxAge: settings.cacheMaxAge, variesWithAccept: query.formatNegotiated)
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
            throw error.requestError
        }
    }
}
