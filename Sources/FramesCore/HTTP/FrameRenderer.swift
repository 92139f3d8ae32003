/// Renders stored frames as the JSON the API promises, one element per frame:
/// `{"depth":…,"data":"<base64 of W×3 RGB>","metadata":{"min":…,"max":…,"mean":…,"std":…,
/// "compression_ratio_original":…,"compression_ratio_resized":…}}`.
///
/// A pixel is one palette index and becomes three RGB bytes, which base64 turns into exactly four
/// characters with no carry into the next pixel. So the renderer encodes each of the 256 palette
/// colors once, and a row becomes a table lookup and a 4-byte store per pixel.
public struct FrameRenderer: Sendable {
    /// 256 colors × RGB.
    public static let paletteByteCount = 768

    /// The four base64 characters of each palette color, packed so a native store writes them in order.
    private let encodedColors: [UInt32]

    public init(palette: [UInt8]) {
        precondition(palette.count == Self.paletteByteCount,
                     "a palette is 256 RGB triples (768 bytes), got \(palette.count) bytes")
        var encodedColors: [UInt32] = []
        encodedColors.reserveCapacity(256)
        var characters: [UInt8] = []
        for index in 0..<256 {
            characters.removeAll(keepingCapacity: true)
            Base64.append(Array(palette[index * 3 ..< index * 3 + 3]), to: &characters)
            let packed = UInt32(characters[0]) | UInt32(characters[1]) << 8
                | UInt32(characters[2]) << 16 | UInt32(characters[3]) << 24
            encodedColors.append(packed.littleEndian)
        }
        self.encodedColors = encodedColors
    }

    public func appendJSONObject(_ frame: StoredFrame, to out: inout [UInt8]) {
        appendJSONObject(frame, bin: nil, to: &out)
    }

    /// A bin is a frame at its centre depth that also says which depths and how many frames it covers.
    public func appendJSONObject(_ bin: DepthBin, to out: inout [UInt8]) {
        appendJSONObject(bin.frame, bin: bin, to: &out)
    }

    private func appendJSONObject(_ frame: StoredFrame, bin: DepthBin?, to out: inout [UInt8]) {
        JSONWriter.appendRaw(#"{"depth":"#, to: &out)
        JSONWriter.appendNumber(frame.depth, to: &out)
        if let bin {
            JSONWriter.appendRaw(#","depth_top":"#, to: &out)
            JSONWriter.appendNumber(bin.top, to: &out)
            JSONWriter.appendRaw(#","depth_bottom":"#, to: &out)
            JSONWriter.appendNumber(bin.bottom, to: &out)
            JSONWriter.appendRaw(#","frames":"#, to: &out)
            JSONWriter.appendNumber(bin.frameCount, to: &out)
        }
        JSONWriter.appendRaw(#","data":""#, to: &out)
        appendBase64RGB(of: frame.pixels, to: &out)
        JSONWriter.appendRaw(#"","metadata":{"min":"#, to: &out)
        JSONWriter.appendNumber(Int(frame.statistics.min), to: &out)
        JSONWriter.appendRaw(#","max":"#, to: &out)
        JSONWriter.appendNumber(Int(frame.statistics.max), to: &out)
        JSONWriter.appendRaw(#","mean":"#, to: &out)
        JSONWriter.appendNumber(frame.statistics.mean, to: &out)
        JSONWriter.appendRaw(#","std":"#, to: &out)
        JSONWriter.appendNumber(frame.statistics.std, to: &out)
        JSONWriter.appendRaw(#","compression_ratio_original":"#, to: &out)
        JSONWriter.appendNumber(frame.compressionRatioOriginal, to: &out)
        JSONWriter.appendRaw(#","compression_ratio_resized":"#, to: &out)
        JSONWriter.appendNumber(frame.compressionRatioResized, to: &out)
        JSONWriter.appendRaw("}}", to: &out)
    }

    /// `[` elements joined by `,` `]`; no frames give `[]`.
    public func appendJSONArray(_ frames: some Sequence<StoredFrame>, to out: inout [UInt8]) {
        Self.appendJSONArray(frames, to: &out) { frame, out in appendJSONObject(frame, to: &out) }
    }

    /// One element per line, each line ending in `\n`; no frames give no bytes.
    public func appendNDJSON(_ frames: some Sequence<StoredFrame>, to out: inout [UInt8]) {
        Self.appendNDJSON(frames, to: &out) { frame, out in appendJSONObject(frame, to: &out) }
    }

    /// Displayed rows as a JSON array; empty bins are left out.
    public func appendJSONArray(_ rows: DisplayedRows, to out: inout [UInt8]) {
        switch rows {
        case .frames(let frames): appendJSONArray(frames, to: &out)
        case .bins(let bins):
            Self.appendJSONArray(bins.lazy.compactMap { $0 }, to: &out) { bin, out in appendJSONObject(bin, to: &out) }
        }
    }

    /// Displayed rows as NDJSON; empty bins are left out.
    public func appendNDJSON(_ rows: DisplayedRows, to out: inout [UInt8]) {
        switch rows {
        case .frames(let frames): appendNDJSON(frames, to: &out)
        case .bins(let bins):
            Self.appendNDJSON(bins.lazy.compactMap { $0 }, to: &out) { bin, out in appendJSONObject(bin, to: &out) }
        }
    }

    private static func appendJSONArray<Element>(_ elements: some Sequence<Element>, to out: inout [UInt8],
                                                 _ appendElement: (Element, inout [UInt8]) -> Void) {
        out.append(UInt8(ascii: "["))
        var first = true
        for element in elements {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            appendElement(element, &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    private static func appendNDJSON<Element>(_ elements: some Sequence<Element>, to out: inout [UInt8],
                                              _ appendElement: (Element, inout [UInt8]) -> Void) {
        for element in elements {
            appendElement(element, &out)
            out.append(UInt8(ascii: "\n"))
        }
    }

    /// Bytes one element takes at most for rows of `width` pixels (4 per pixel plus keys and numbers),
    /// so a caller can reserve a response's buffer once.
    public static func estimatedJSONObjectSize(width: Int) -> Int {
        width * 4 + 256
    }

    private func appendBase64RGB(of pixels: [UInt8], to out: inout [UInt8]) {
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: pixels.count * 4))
        encodedColors.withUnsafeBufferPointer { table in
            pixels.withUnsafeBufferPointer { pixels in
                out.withUnsafeMutableBytes { buffer in
                    var offset = start
                    for pixel in pixels {
                        buffer.storeBytes(of: table[Int(pixel)], toByteOffset: offset, as: UInt32.self)
                        offset += 4
                    }
                }
            }
        }
    }
}
