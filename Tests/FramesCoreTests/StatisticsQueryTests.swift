import FramesCore
import XCTest

final class StatisticsQueryTests: XCTestCase {
    func testDefaultsAndRepeatedPercentiles() throws {
        let plain = try StatisticsQuery(queryString: "dataset=a")
        XCTAssertEqual(plain.percentiles, [1, 5, 25, 50, 75, 95, 99])
        XCTAssertEqual(plain.span, -Double.infinity...Double.infinity)
        let chosen = try StatisticsQuery(queryString: "depth_min=2&depth_max=3&p=99.5&p=0&p=99.5")
        XCTAssertEqual(chosen.percentiles, [99.5, 0])
        XCTAssertEqual(chosen.span, 2...3)
        XCTAssertNotEqual(plain.canonicalKey, chosen.canonicalKey)
        XCTAssertEqual(chosen.percentiles.map(StatisticsQuery.key), ["99.5", "0"])
    }

    func testAGenerationIsPartOfTheKey() throws {
        let past = try StatisticsQuery(queryString: "dataset=a&generation=7")
        XCTAssertEqual(past.generation, 7)
        XCTAssertNil(try StatisticsQuery(queryString: "dataset=a").generation)
        XCTAssertNotEqual(past.canonicalKey, try StatisticsQuery(queryString: "dataset=a").canonicalKey)
        XCTAssertNotEqual(past.canonicalKey, try StatisticsQuery(queryString: "dataset=a&generation=8").canonicalKey)
        assertBadParameter("generation", "zero") { () throws(RequestError) in
            try StatisticsQuery(queryString: "generation=0")
        }
    }

    func testBadValuesNameTheirParameter() {
        assertBadParameter("p", "out of range") { () throws(RequestError) in try StatisticsQuery(queryString: "p=100.5") }
        assertBadParameter("p", "not a number") { () throws(RequestError) in try StatisticsQuery(queryString: "p=x") }
        assertBadParameter("depth_min", "reversed") { () throws(RequestError) in
            try StatisticsQuery(queryString: "depth_min=3&depth_max=2")
        }
        XCTAssertThrowsError(try StatisticsQuery(queryString: "dataset=a&dataset=b"))
        XCTAssertThrowsError(try StatisticsQuery(queryString: "height=3"))
    }

    func testTheDocumentHasNullsForAnEmptyRange() throws {
        let dataset = DatasetInfo(name: "d", originalWidth: 2, resizedWidth: 2, depthMin: 1, depthMax: 9,
                                  frameCount: 3, generation: 4)
        let query = try StatisticsQuery(queryString: "depth_min=2&p=50")
        let empty = RangeStatistics(dataset: dataset, query: query, frames: 0, histogram: PixelHistogram())
        let text = String(decoding: empty.json, as: UTF8.self)
        XCTAssertTrue(text.hasPrefix(#"{"dataset":"d","generation":4,"depth_min":2.0,"depth_max":9.0,"frames":0,"#
                                     + #""pixels":0,"min":null,"max":null,"mean":null,"std":null,"percentiles":{"50":null}"#),
                      text)
        let full = RangeStatistics(dataset: dataset, query: query, frames: 1, histogram: PixelHistogram(rows: [[3, 5]]))
        XCTAssertTrue(String(decoding: full.json, as: UTF8.self).contains(#""min":3,"max":5,"mean":4.0,"std":1.0,"#
                                                                            + #""percentiles":{"50":4.0}"#))
    }

    func testColourBarPaths() throws {
        XCTAssertEqual(try Route(method: "GET", uri: "/colormaps/viridis_r.png?width=3"), .colorBar(name: "viridis_r"))
        XCTAssertEqual(try Route(method: "GET", uri: "/colormaps/viridis_r.png").template, .colorBar)
        XCTAssertThrowsError(try Route(method: "GET", uri: "/colormaps/.png"))
        XCTAssertThrowsError(try Route(method: "GET", uri: "/colormaps/a/b.png"))
        XCTAssertEqual(try Route(method: "GET", uri: "/statistics"), .statistics)
    }
}
