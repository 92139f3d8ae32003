import FramesCore
import XCTest

final class BinnedRasterTests: XCTestCase {
    private let palette = (0..<768).map { UInt8($0 % 256) }

    private func bin(_ pixels: [UInt8]) -> DepthBin {
        DepthBin(top: 0, bottom: 1, frameCount: 1,
                 frame: StoredFrame(depth: 0.5, statistics: RowStatistics(min: 0, max: 0, mean: 0, std: 0),
                                    compressionRatioOriginal: 1, compressionRatioResized: 1, pixels: pixels))
    }

    func testFullRowsAreThePixelsThemselves() {
        XCTAssertEqual(BinnedRaster(rows: .bins([bin([1, 2]), bin([3, 4])]), width: 2, palette: palette),
                       .palette(indices: [1, 2, 3, 4], transparentIndex: nil))
    }

    func testEmptyRowsTakeTheHighestUnusedIndex() {
        XCTAssertEqual(BinnedRaster(rows: .bins([bin([255, 2]), nil]), width: 2, palette: palette),
                       .palette(indices: [255, 2, 254, 254], transparentIndex: 254))
    }

    func testEveryValueUsedFallsBackToRGBAWithClearEmptyRows() {
        let all = (0...255).map { UInt8($0) }
        guard case .rgba(let pixels) = BinnedRaster(rows: .bins([nil, bin(all)]), width: 256, palette: palette) else {
            return XCTFail("expected RGBA")
        }
        XCTAssertEqual(pixels.count, 2 * 256 * 4)
        XCTAssertTrue(pixels[0..<1024].allSatisfy { $0 == 0 })
        XCTAssertEqual(Array(pixels[1024 + 4 * 10 ..< 1024 + 4 * 11]), [palette[30], palette[31], palette[32], 255])
    }
}
