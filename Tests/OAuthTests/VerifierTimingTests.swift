import FramesCore
import Glibc
import XCTest

/// What a token costs a worker: a first check (libcrypto's signature verification) per algorithm, a cached
/// one, and a badly signed one. Skipped unless FRAMES_TIMING=1; run in release for figures worth quoting:
/// `FRAMES_TIMING=1 swift test -c release --filter VerifierTimingTests`.
final class VerifierTimingTests: XCTestCase {
    private func microseconds(per count: Int, _ work: () throws -> Void) rethrows -> Double {
        let start = ContinuousClock.now
        for _ in 0..<count { try work() }
        let elapsed = ContinuousClock.now - start
        return (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18) / Double(count) * 1e6
    }

    func testTimeVerification() throws {
        try XCTSkipUnless(getenv("FRAMES_TIMING").map { String(cString: $0) } == "1", "set FRAMES_TIMING=1 to time")
        let count = 2000
        let cases: [(TestSigningKey, JWSAlgorithm)] = [
            (TestProvider.rsa, .rs256), (TestProvider.rsa, .ps256), (TestProvider.p256, .es256), (TestProvider.ed25519, .edDSA),
        ]
        for (key, algorithm) in cases {
            // A cache of one entry that every token replaces: each call is a whole check.
            let provider = TestProvider(cacheCapacity: 1)
            let tokens = (0..<2).map { TokenFactory.token(key, algorithm, claims: TokenFactory.claims(["sub": #""user-\#($0)""#])) }
            var index = 0
            let checked = try microseconds(per: count) {
                index += 1
                _ = try provider.verifier.verify(tokens[index % 2], at: TokenFactory.now)
            }
            let cached = try microseconds(per: count) { _ = try provider.verifier.verify(tokens[0], at: TokenFactory.now) }
            let parts = tokens[0].split(separator: ".")
            let forged = parts[0] + "." + base64URL(TokenFactory.claims(["scope": #""frames:read""#])) + "." + parts[2]
            let refused = microseconds(per: count) { _ = try? provider.verifier.verify(String(forged), at: TokenFactory.now) }
            XCTAssertGreaterThanOrEqual(provider.counter.count, 2 * count)
            print(String(format: "timing: %@ checked %.1f µs, cached %.1f µs, badly signed %.1f µs",
                         algorithm.rawValue, checked, cached, refused))
        }
    }
}
