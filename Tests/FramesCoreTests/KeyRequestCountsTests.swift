import FramesCore
import XCTest

/// `frames_keys.prom`: requests per key, by the key's name.
final class KeyRequestCountsTests: XCTestCase {
    func testPerKeyCountsAreLabelledByName() {
        let text = KeyRequestCounts.prometheusText(["lab": KeyRequestCounts(admitted: 7, rateLimited: 2),
                                                    "beta": KeyRequestCounts(admitted: 1)])
        let samples = PrometheusText.samples(in: text)
        XCTAssertEqual(samples["frames_key_requests_total{key=\"lab\",outcome=\"admitted\"}"], 7)
        XCTAssertEqual(samples["frames_key_requests_total{key=\"lab\",outcome=\"rate_limited\"}"], 2)
        XCTAssertEqual(samples["frames_key_requests_total{key=\"beta\",outcome=\"rate_limited\"}"], 0)
        XCTAssertLessThan(text.range(of: "beta")!.lowerBound, text.range(of: "lab")!.lowerBound, "sorted by name")
    }
}
