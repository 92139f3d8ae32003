/// A `--json` listing: one JSON array on one line, each element written by `append`.
enum JSONArrayOutput {
    static func render<Element>(_ elements: [Element], _ append: (Element, inout [UInt8]) -> Void) -> String {
        var out: [UInt8] = [UInt8(ascii: "[")]
        for (index, element) in elements.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            append(element, &out)
        }
        out.append(contentsOf: "]\n".utf8)
        return String(decoding: out, as: UTF8.self)
    }
}
