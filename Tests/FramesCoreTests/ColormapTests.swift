import Foundation
import XCTest
@testable import FramesCore

/// matplotlib's own results, written by tools/fixtures/make_colormaps.py.
struct ColormapFixture: Decodable {
    struct Normalized: Decodable {
        var name: String
        var vmin: Double?
        var vmax: Double?
        var rgb: String?
        var error: String?
    }

    struct Custom: Decodable {
        var spec: String
        var rgb: String
        var reversed: String
    }

    var matplotlib: String
    var notFlipReversed: [String]
    var named: [String: String]
    var normalized: [Normalized]
    var custom: [Custom]

    static let shared: ColormapFixture = {
        guard let url = Bundle.module.url(forResource: "colormaps", withExtension: "json", subdirectory: "Fixtures") else {
            fatalError("Fixtures/colormaps.json missing from the test bundle")
        }
        do {
            return try JSONDecoder().decode(ColormapFixture.self, from: Data(contentsOf: url))
        } catch {
            fatalError("Fixtures/colormaps.json: \(error)")
        }
    }()

    /// First differing entry, so a failure says where rather than dumping 768 bytes.
    static func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> String? {
        guard a.count == 768, b.count == 768 else { return "sizes \(a.count) and \(b.count)" }
        for i in 0..<256 where a[3 * i..<3 * i + 3] != b[3 * i..<3 * i + 3] {
            return "entry \(i): \(Array(a[3 * i..<3 * i + 3])) vs matplotlib \(Array(b[3 * i..<3 * i + 3]))"
        }
        return nil
    }

    static func bytes(_ hex: String) -> [UInt8] {
        let chars = Array(hex.utf8)
        precondition(chars.count == 1536)
        return (0..<768).map { UInt8(String(decoding: chars[2 * $0...2 * $0 + 1], as: UTF8.self), radix: 16)! }
    }
}

final class ColormapTests: XCTestCase {
    let fixture = ColormapFixture.shared
    let registry = ColormapRegistry.builtin

    func testGeneratedTablesComeFromTheFixtureMatplotlib() {
        XCTAssertEqual(BuiltinColormapTables.matplotlibVersion, fixture.matplotlib,
                       "rerun tools/fixtures/make_colormaps.py: tables and fixture disagree on matplotlib")
    }

    func testRegistryHasExactlyTheFixtureNamesSorted() {
        XCTAssertEqual(registry.names, fixture.named.keys.sorted())
        XCTAssertEqual(registry.names.count, 36)
        XCTAssertEqual(registry.names, registry.names.sorted())
    }

    func testEveryNamedMapAndItsReverseMatchMatplotlib() throws {
        for (name, hex) in fixture.named.sorted(by: { $0.key < $1.key }) {
            let colormap = try registry.colormap(named: name)
            XCTAssertEqual(colormap.name, name)
            XCTAssertNil(ColormapFixture.firstDifference(colormap.table, ColormapFixture.bytes(hex)), name)
        }
    }

    func testReversingTwiceGivesTheOriginalBack() throws {
        for name in ["viridis", "gray", "jet", "terrain"] {
            let colormap = try registry.colormap(named: name)
            XCTAssertEqual(colormap.reversed().name, name + "_r")
            XCTAssertEqual(colormap.reversed().reversed(named: name), colormap)
            XCTAssertEqual(colormap.reversed(), try registry.colormap(named: name + "_r"))
        }
    }

    /// The surprise worth pinning: a segmented map's NAME_r is not NAME flipped.
    func testSegmentedReversalIsNotAPlainFlip() throws {
        XCTAssertTrue(fixture.notFlipReversed.contains("gray"))
        let gray = try registry.colormap(named: "gray")
        XCTAssertNotEqual(Colormap.flipped(gray.table), gray.reversed().table)
        // Listed maps do flip exactly, and `init(name:table:)` derives the reverse that way.
        let viridis = try registry.colormap(named: "viridis")
        XCTAssertEqual(Colormap.flipped(viridis.table), viridis.reversed().table)
        XCTAssertEqual(Colormap(name: "v", table: viridis.table).reversed().table, viridis.reversed().table)
    }

    func testDefaultPaletteIsTheTable() throws {
        for name in registry.names {
            let colormap = try registry.colormap(named: name)
            XCTAssertEqual(try colormap.palette(vmin: nil, vmax: nil), colormap.table, name)
            XCTAssertEqual(try colormap.palette(vmin: 0, vmax: 255), colormap.table, name)
        }
        // palette() short-cuts the default range; the general path must agree with it.
        for value in 0..<256 {
            XCTAssertEqual(Colormap.entry(forPixel: Double(value), vmin: 0, vmax: 255), value)
        }
    }

    func testNormalizedCasesMatchMatplotlib() throws {
        XCTAssertGreaterThanOrEqual(fixture.normalized.count, 10)
        for c in fixture.normalized {
            let label = "\(c.name) vmin=\(String(describing: c.vmin)) vmax=\(String(describing: c.vmax))"
            let colormap = try registry.colormap(named: c.name)
            if let rgb = c.rgb {
                XCTAssertNil(ColormapFixture.firstDifference(try colormap.palette(vmin: c.vmin, vmax: c.vmax), ColormapFixture.bytes(rgb)), label)
            } else {
                XCTAssertNotNil(c.error, label)
                XCTAssertThrowsError(try colormap.palette(vmin: c.vmin, vmax: c.vmax), label) { error in
                    XCTAssertEqual(error as? ColormapError, .invalidRange(vmin: c.vmin ?? 0, vmax: c.vmax ?? 255))
                }
            }
        }
    }

    func testEqualBoundsGiveTheFirstColorEverywhere() throws {
        let jet = try registry.colormap(named: "jet")
        let palette = try jet.palette(vmin: 100, vmax: 100)
        for value in 0..<256 {
            XCTAssertEqual(Array(palette[3 * value..<3 * value + 3]), Array(jet.table[0..<3]))
        }
    }

    func testNonFiniteOrInvertedBoundsAreRejected() throws {
        let viridis = try registry.colormap(named: "viridis")
        for (lo, hi) in [(Double.nan, 1.0), (0, .infinity), (-.infinity, 10), (200, 20), (0, -1)] {
            XCTAssertThrowsError(try viridis.palette(vmin: lo, vmax: hi)) { error in
                guard case .invalidRange? = error as? ColormapError else {
                    return XCTFail("\(lo)...\(hi): \(error)")
                }
                XCTAssertTrue((error as! ColormapError).message.contains("vm"))
            }
        }
        XCTAssertThrowsError(try viridis.palette(vmin: 300, vmax: nil)) // 300 > default vmax 255
    }

    func testExtremeBoundsDoNotTrap() throws {
        let viridis = try registry.colormap(named: "viridis")
        let first = Array(viridis.table[0..<3]), last = Array(viridis.table[765..<768])
        let huge = try viridis.palette(vmin: -Double.greatestFiniteMagnitude, vmax: .greatestFiniteMagnitude)
        XCTAssertEqual(Array(huge[0..<3]), first)
        let tiny = try viridis.palette(vmin: 127.5, vmax: 127.5.nextUp)
        XCTAssertEqual(Array(tiny[3 * 127..<3 * 128]), first)
        XCTAssertEqual(Array(tiny[3 * 128..<3 * 129]), last)
    }
}
