import Digests
import FramesCore
import PNGEncoder

/// `GET /colormaps/NAME.png`: a colour bar of a named map, or of `colors=` at `/colormaps/custom.png`.
struct ColorBarEndpoint {
    let colormaps: ColormapRegistry
    let settings: FramesSettings

    /// `name` is the path's (`/colormaps/NAME.png`).
    func respond(name: String, to query: ColorBarQuery, _ condition: ConditionalRequest) throws(RequestError) -> Response {
        let colormap: Colormap
        if name == ColormapRegistry.customName {
            // An empty colors= is no map at all here: /frames reads it as "the default", a custom bar has none.
            guard let colors = query.colors, !colors.isEmpty else {
                throw .badParameter(name: "colors", detail: "colors (two or more stops) is required for /colormaps/custom.png")
            }
            colormap = try colormaps.requested(name: nil, colors: query.colors)
        } else {
            if query.colors != nil {
                throw .badParameter(name: "colors", detail: "colors applies only to /colormaps/custom.png")
            }
            guard let named = try? colormaps.resolve(name: name, colors: nil) else {
                throw .unknownPath("/colormaps/\(name).png")
            }
            colormap = named
        }
        let palette = try colormap.requestedPalette(vmin: query.vmin, vmax: query.vmax)
        // The palette's own bytes are in the tag: a map read from the colormap folder may change.
        let tag = EntityTag(dataset: name, generation: 0,
                            canonicalQuery: query.canonicalKey + "&palette=" + SHA256.hash(palette).hexString, hashes: SystemHashes())
        let caching = Caching.validated(tag, maxAge: settings.cacheMaxAge, variesWithAccept: false)
        if let unchanged = condition.notModified(caching) { return unchanged }
        let bar = query.bar
        do {
            let body = try PalettePNG.encode(width: bar.width, height: bar.height, palette: palette, indices: bar.indices,
                                             level: settings.pngLevel)
            return .whole(Representation(contentType: "image/png", caching: caching), body: body)
        } catch {
            throw error.requestError
        }
    }
}
