import FramesCore

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

extension Colormap {
    /// The palette a request's `vmin`/`vmax` ask for, or a 400 that blames `vmin`.
    func requestedPalette(vmin: Double?, vmax: Double?) throws(RequestError) -> [UInt8] {
        do {
            return try palette(vmin: vmin, vmax: vmax)
        } catch {
            throw .badParameter(name: "vmin", detail: "vmin/vmax: \(error.message)")
        }
    }
}
