import Foundation

/// Image-log CSVs written to a folder of the test's own, removed when the test ends.
final class ImageLogFiles {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("ingest-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// `rows` under a header of `depth` and one column per pixel of the first row.
    @discardableResult
    func write(_ name: String, rows: [(depth: Double, pixels: [Int])], header width: Int? = nil) throws -> String {
        let columns = width ?? rows.first?.pixels.count ?? 1
        let lines = ["depth," + (1...columns).map { "px\($0)" }.joined(separator: ",")]
            + rows.map { row in (["\(row.depth)"] + row.pixels.map(String.init)).joined(separator: ",") }
        return try write(name, text: lines.joined(separator: "\n") + "\n")
    }

    @discardableResult
    func write(_ name: String, text: String) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A log whose rows differ from each other and whose pixels span the whole range.
    static func rows(_ count: Int, width: Int, firstDepth: Double = 1000, seed: Int = 0) -> [(depth: Double, pixels: [Int])] {
        (0..<count).map { row -> (depth: Double, pixels: [Int]) in
            let pixels = (0..<width).map { (column: Int) -> Int in (row * 37 + column * 11 + seed) % 256 }
            return (firstDepth + Double(row) * 0.25, pixels)
        }
    }
}
