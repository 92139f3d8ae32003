import FramesCore
import XCTest

final class ColorBarTests: XCTestCase {
    private struct Fixture: Decodable {
        struct Case: Decodable {
            var name: String
            var vmin: Double?
            var vmax: Double?
            var width: Int
            var height: Int
            var orientation: String
            var line: String
            var ties: [Int]
        }
        var cases: [Case]
    }

    private func bytes(hex: String) -> [UInt8] {
        let digits = Array(hex)
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(digits[$0...$0 + 1]), radix: 16)! }
    }

    func testRasterWithThePaletteIsMatplotlibsColorbar() throws {
        let fixture = try oracleFixture("color_bars", as: Fixture.self)
        var ties = 0
        for expected in fixture.cases {
            let label = "\(expected.name) \(expected.width)×\(expected.height) \(expected.orientation)"
            let orientation = try XCTUnwrap(ColorBar.Orientation(rawValue: expected.orientation))
            let bar = ColorBar(width: expected.width, height: expected.height, orientation: orientation)
            let palette = try ColormapRegistry.builtin.colormap(named: expected.name)
                .palette(vmin: expected.vmin, vmax: expected.vmax)
            let indices = bar.indices
            XCTAssertEqual(indices.count, expected.width * expected.height, label)
            let line = bytes(hex: expected.line)
            let length = line.count / 3
            for position in 0..<length {
                // The pixel at `position` along the bar, in the first row or column of the raster.
                let index = Int(orientation == .horizontal ? indices[position] : indices[position * expected.width])
                let color = Array(palette[3 * index..<3 * index + 3])
                let want = Array(line[3 * position..<3 * position + 3])
                if expected.ties.contains(position) {
                    // Agg blends the two bands there; the raster takes the upper one, a neighbour of the lower.
                    let lower = Array(palette[3 * (index - 1)..<3 * index])
                    for channel in 0..<3 {
                        let (a, b) = (Swift.min(lower[channel], color[channel]), Swift.max(lower[channel], color[channel]))
                        XCTAssertTrue((a...b).contains(want[channel]), "\(label) tie at \(position)")
                    }
                    ties += 1
                } else {
                    XCTAssertEqual(color, want, "\(label) at \(position)")
                }
            }
            // Uniform across the bar.
            for row in 0..<expected.height {
                for column in 0..<expected.width {
                    let first = orientation == .horizontal ? indices[column] : indices[row * expected.width]
                    XCTAssertEqual(indices[row * expected.width + column], first, "\(label) (\(row), \(column))")
                }
            }
        }
        XCTAssertGreaterThan(ties, 0, "the fixture has lengths that are not multiples of 256")
    }

    func testVerticalBarsHaveHighValuesAtTheTop() {
        let bar = ColorBar(width: 2, height: 256, orientation: .vertical)
        XCTAssertEqual(bar.entriesAlong, (0...255).reversed().map { UInt8($0) })
        XCTAssertEqual(Array(bar.indices.prefix(2)), [255, 255])
        XCTAssertEqual(Array(bar.indices.suffix(2)), [0, 0])
    }

    func testEveryEntryAppearsOnABarAtLeast256Long() {
        for length in [256, 300, 1000] {
            XCTAssertEqual(Set(ColorBar(width: length, height: 1, orientation: .horizontal).entriesAlong).count, 256)
        }
    }
}
