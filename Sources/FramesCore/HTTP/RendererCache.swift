/// Renderers of recently used palettes: building one encodes all 256 colors, and most requests use
/// one of a few maps. A cache of a pure function of the palette, not state.
public final class RendererCache {
    private var renderers: [[UInt8]: FrameRenderer] = [:]
    private let capacity: Int

    public init(capacity: Int = 64) {
        self.capacity = capacity
    }

    public func renderer(for palette: [UInt8]) -> FrameRenderer {
        if let known = renderers[palette] { return known }
        if renderers.count >= capacity { renderers.removeAll(keepingCapacity: true) }
        let renderer = FrameRenderer(palette: palette)
        renderers[palette] = renderer
        return renderer
    }
}
