import Digests
import FramesCore
import PNGEncoder

/// `GET /colormaps/NAME.png`: a colour bar of a named map, or of `colors=` at `/colormaps/custom.png`.
struct ColorBarEndpoint {
    let colormaps: ColormapRegistry
    let settings: FramesSettings

    func respond(to request: IncomingRequest) throws(RequestError) -> Response {
        let path = request.path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.path
        guard let name = Route.colorBarName(path: path) else { throw .unknownPath(path) }
        let query = try ColorBarQuery(queryString: request.query)
        let colormap: Colormap
        if name == ColormapRegistry.customName {
            guard query.colors != nil else {
                throw .badParameter(name: "colors", detail: "colors is required for /colormaps/custom.png")
            }
            colormap = try colormaps.requested(name: nil, colors: query.colors)
        } else {
            if query.colors != nil {
                throw .badParameter(name: "colors", detail: "colors applies only to /colormaps/custom.png")
            }
            guard let named = try? colormaps.resolve(name: name, colors: nil) else { throw .unknownPath(path) }
            colormap = named
        }
        let palette: [UInt8]
        do {
            palette = try colormap.palette(vmin: query.vmin, vmax: query.vmax)
        } catch {
            throw .badParameter(name: "vmin", detail: "vmin/vmax: \(error.message)")
        }
        // The palette's own bytes are in the tag: a map read from the colormap folder may change.
        let tag = EntityTag(dataset: name, generation: 0,
                            canonicalQuery: query.canonicalKey + "&palette=" + SHA256.hash(palette).hexString)
        let caching = Caching.validated(tag, maxAge: settings.cacheMaxAge, variesWithAccept: false)
        if let condition = request.ifNoneMatch, tag.matches(ifNoneMatch: condition) { return .notModified(caching) }
        let bar = query.bar
        do {
            let body = try PalettePNG.encode(width: bar.width, height: bar.height, palette: palette, indices: bar.indices,
                                             level: settings.pngLevel)
            return .whole(Representation(contentType: "image/png", caching: caching), body: body)
        } catch {
            throw .internalError(reason: "PNG encoding failed: \(error)")
        }
    }
}
