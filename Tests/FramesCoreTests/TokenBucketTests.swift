import FramesCore
import XCTest

/// The per-key limit's arithmetic: burst at once, refill at the rate, Retry-After rounded up, and the
/// defaults a key without its own limit gets.
final class TokenBucketTests: XCTestCase {
    private let oneASecondFiveAtOnce = RateLimit(rate: 1, burst: 5)

    func testAFullBucketAdmitsItsBurstThenRefuses() {
        var bucket = TokenBucket.full(oneASecondFiveAtOnce, at: 100)
        let decisions = (0..<8).map { _ in bucket.take(oneASecondFiveAtOnce, at: 100) }
        XCTAssertEqual(decisions.filter { $0 == .admitted }.count, 5)
        XCTAssertEqual(decisions.last, .refused(retryAfterSeconds: 1))
    }

    func testTokensComeBackAtTheRateAndNeverPastTheBurst() {
        var bucket = TokenBucket(tokens: 0, updatedAt: 10)
        XCTAssertEqual(bucket.take(oneASecondFiveAtOnce, at: 10.5), .refused(retryAfterSeconds: 1))
        XCTAssertEqual(bucket.take(oneASecondFiveAtOnce, at: 11), .admitted)
        bucket = TokenBucket(tokens: 0, updatedAt: 0)
        let afterAnHour = (0..<7).map { _ in bucket.take(oneASecondFiveAtOnce, at: 3600) }
        XCTAssertEqual(afterAnHour.filter { $0 == .admitted }.count, 5)
    }

    func testARefusalTakesNothingSoRetryingDoesNotPushTheClientBack() {
        let slow = RateLimit(rate: 0.25, burst: 1)
        var bucket = TokenBucket(tokens: 0, updatedAt: 0)
        for second in 0..<4 {
            XCTAssertEqual(bucket.take(slow, at: Double(second)), .refused(retryAfterSeconds: 4 - second))
        }
        XCTAssertEqual(bucket.take(slow, at: 4), .admitted)
    }

    func testRetryAfterIsRoundedUpToWholeSeconds() {
        var bucket = TokenBucket(tokens: 0.9, updatedAt: 0)
        XCTAssertEqual(bucket.take(RateLimit(rate: 0.3, burst: 2), at: 0), .refused(retryAfterSeconds: 1))
        bucket = TokenBucket(tokens: 0, updatedAt: 0)
        XCTAssertEqual(bucket.take(RateLimit(rate: 0.4, burst: 2), at: 0), .refused(retryAfterSeconds: 3))
    }

    func testAClockBehindTheBucketStartsItAfresh() {
        var bucket = TokenBucket(tokens: 0, updatedAt: 5_000)
        XCTAssertEqual(bucket.take(oneASecondFiveAtOnce, at: 12), .admitted)
        XCTAssertEqual(bucket.tokens, 4)
    }

    func testAKeyWithoutALimitOfItsOwnGetsTheServiceDefaults() {
        let key = KeyCredentials(name: "lab", keyID: "abcdefghijklmnop", secretHash: [])
        XCTAssertEqual(RateLimit(of: key, defaults: .init(rate: 10, burst: nil)), RateLimit(rate: 10, burst: 20))
        XCTAssertEqual(RateLimit(of: key, defaults: .init(rate: 0.2, burst: nil)), RateLimit(rate: 0.2, burst: 1))
        XCTAssertEqual(RateLimit(of: key, defaults: .init(rate: 10, burst: 3)), RateLimit(rate: 10, burst: 3))
        XCTAssertNil(RateLimit(of: key, defaults: .init(rate: 0, burst: 3)))
        var own = key
        own.rate = 2.5
        XCTAssertEqual(RateLimit(of: own, defaults: .init(rate: 0, burst: nil)), RateLimit(rate: 2.5, burst: 5))
        own.burst = 1
        XCTAssertEqual(RateLimit(of: own, defaults: .init(rate: 10, burst: 30)), RateLimit(rate: 2.5, burst: 1))
    }
}
