/// Spaces and tabs around CSV cells, header values, colormap stops and header parameters are not part
/// of the value; neither is a carriage return that a CRLF file leaves at a line's end.
extension UInt8 {
    var isBlank: Bool { self == 0x20 || self == 0x09 || self == 0x0D }
}

extension Substring {
    var trimmingBlanks: Substring {
        let isBlank: (Character) -> Bool = { $0.asciiValue?.isBlank ?? false }
        guard let first = firstIndex(where: { !isBlank($0) }), let last = lastIndex(where: { !isBlank($0) })
        else { return self[endIndex...] }
        return self[first...last]
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// The same on raw bytes, for the ingest's hot path: no String is made for a cell that parses.
    var trimmingBlanks: UnsafeBufferPointer<UInt8> {
        var start = 0, end = count
        while start < end, self[start].isBlank { start += 1 }
        while end > start, self[end - 1].isBlank { end -= 1 }
        return UnsafeBufferPointer(rebasing: self[start..<end])
    }
}
