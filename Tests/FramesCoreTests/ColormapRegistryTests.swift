import Foundation
import XCTest
@testable import FramesCore
import ProcessSupport

final class ColormapRegistryTests: XCTestCase {
    let fixture = ColormapFixture.shared
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("colormaps-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private func write(_ file: String, _ text: String) throws {
        try text.write(to: folder.appendingPathComponent(file), atomically: true, encoding: .utf8)
    }

    private func custom(_ spec: String) -> ColormapFixture.Custom {
        fixture.custom.first { $0.spec == spec }!
    }

    func testResolve() throws {
        let registry = ColormapRegistry.builtin
        XCTAssertEqual(try registry.resolve(name: nil, colors: nil).name, "viridis")
        XCTAssertEqual(try registry.resolve(name: "", colors: "").name, "viridis")
        XCTAssertEqual(try registry.resolve(name: "magma_r", colors: nil), try registry.colormap(named: "magma_r"))
        XCTAssertEqual(try registry.resolve(name: "", colors: "000,fff").name, "custom")
        XCTAssertThrowsError(try registry.resolve(name: "gray", colors: "000,fff")) {
            XCTAssertEqual($0 as? ColormapError, .nameAndColorsBothGiven)
        }
        XCTAssertThrowsError(try registry.resolve(name: nil, colors: "000")) {
            XCTAssertEqual($0 as? ColormapError, .tooFewColors(count: 1))
        }
    }

    func testUnknownNameListsTheValidNames() {
        let registry = ColormapRegistry.builtin
        for name in ["nope", "Viridis", "viridis_r_r", "custom"] {
            XCTAssertThrowsError(try registry.colormap(named: name)) { error in
                XCTAssertEqual(error as? ColormapError, .unknownName(name, valid: registry.names))
                let message = (error as! ColormapError).message
                XCTAssertTrue(message.hasPrefix("unknown colormap \"\(name)\"; valid names: YlOrBr, YlOrBr_r, afmhot"), message)
                XCTAssertTrue(message.hasSuffix("viridis, viridis_r"), message)
            }
        }
    }

    func testFolderMapsLoadNextToBadOnes() throws {
        let five = "#440154,#3B528B,#21918C,#5EC962,#FDE725"
        let edge = "0:#ff0000,0.5:#ff0000,0.5:#0000ff,1:#0000ff"
        try write("ocean.colors", """
            # Five viridis stops, one a line.
            #
            #440154
            #3B528B

            \t#21918C\r
            #5EC962,
            #FDE725
            """)
        try write("edge-1.colors", "# one line, commas\n0:#ff0000, 0.5:#ff0000,\n0.5:#0000ff,1:#0000ff\n")
        try write("broken.colors", "# comment\n000000\n\n#12345g\nffffff\n")
        try write("unsorted.colors", "0:000\n0.7:fff\n0.2:000\n1:fff\n")
        try write("lonely.colors", "# only one\nff0000\n")
        try write("viridis.colors", "000,fff\n")
        try write("gray_r.colors", "000,fff\n")
        try write("edge-1_r.colors", "000,fff\n")
        try write("bad name.colors", "000,fff\n")
        try write(".colors", "000,fff\n")
        try write("README", "not a map\n")
        try write("ocean.colors~", "not a map\n")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("dir.colors"), withIntermediateDirectories: true)

        let (registry, problems) = Self.load(folder.path)

        XCTAssertEqual(registry.names, (ColormapRegistry.builtin.names + ["ocean", "ocean_r", "edge-1", "edge-1_r"]).sorted())
        for (name, spec) in [("ocean", five), ("edge-1", edge)] {
            let colormap = try registry.colormap(named: name)
            XCTAssertEqual(colormap.name, name)
            XCTAssertEqual(colormap.table, ColormapFixture.bytes(custom(spec).rgb), name)
            let reversed = try registry.colormap(named: name + "_r")
            XCTAssertEqual(reversed.name, name + "_r")
            XCTAssertEqual(reversed.table, ColormapFixture.bytes(custom(spec).reversed), name)
        }
        XCTAssertEqual(try registry.colormap(named: "viridis"), try ColormapRegistry.builtin.colormap(named: "viridis"))

        let byFile = Dictionary(problems.map { (Self.file(of: $0), $0) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(problems.count, 9, problems.map(\.message).joined(separator: "\n"))
        XCTAssertEqual(byFile["broken.colors"], .badFile(file: "broken.colors", line: 4, problem: .badHex(index: 1, text: "#12345g")))
        XCTAssertEqual(byFile["unsorted.colors"], .badFile(file: "unsorted.colors", line: 3, problem: .nonMonotonicPositions(index: 2, text: "0.2")))
        XCTAssertEqual(byFile["lonely.colors"], .badFile(file: "lonely.colors", line: nil, problem: .tooFewColors(count: 1)))
        XCTAssertEqual(byFile["viridis.colors"], .shadowsExistingName(file: "viridis.colors", name: "viridis"))
        XCTAssertEqual(byFile["gray_r.colors"], .shadowsExistingName(file: "gray_r.colors", name: "gray_r"))
        XCTAssertEqual(byFile["edge-1_r.colors"], .shadowsExistingName(file: "edge-1_r.colors", name: "edge-1_r"))
        XCTAssertEqual(byFile["bad name.colors"], .badFileName(file: "bad name.colors"))
        XCTAssertEqual(byFile[".colors"], .badFileName(file: ".colors"))
        guard case .unreadableFile? = byFile["dir.colors"] else { return XCTFail("dir.colors: \(String(describing: byFile["dir.colors"]))") }

        XCTAssertEqual(byFile["broken.colors"]?.message,
                       "colormap file broken.colors line 4: color at index 1: \"#12345g\" is not RRGGBB, #RRGGBB, RGB or #RGB hex; skipped")
    }

    func testMissingFolderKeepsTheBuiltins() {
        let (registry, problems) = Self.load(folder.appendingPathComponent("absent").path)
        XCTAssertEqual(registry.names, ColormapRegistry.builtin.names)
        XCTAssertEqual(problems.count, 1)
        guard case .unreadableFolder? = problems.first else { return XCTFail("\(problems)") }
    }

    func testEmptyFolderIsNoProblem() {
        let (registry, problems) = Self.load(folder.path)
        XCTAssertEqual(registry.names, ColormapRegistry.builtin.names)
        XCTAssertEqual(problems, [])
    }

    /// Through the same libc helpers as frames-fcgi.
    private static func load(_ path: String) -> (registry: ColormapRegistry, problems: [ColormapError]) {
        ColormapRegistry.loading(builtinPlusFolder: path, listing: Directory.names(in:), reading: TextFile.read)
    }

    private static func file(of problem: ColormapError) -> String {
        switch problem {
        case let .badFileName(file), let .unreadableFile(file, _), let .badFile(file, _, _), let .shadowsExistingName(file, _):
            return file
        default:
            return "?"
        }
    }
}
