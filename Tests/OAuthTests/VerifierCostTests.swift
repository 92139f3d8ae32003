import FramesCore
import XCTest

/// What tokens cost a worker: the cache of verified tokens, and how often the key set file is read.
final class VerifierCostTests: XCTestCase {
    let now = TokenFactory.now

    func testARepeatedTokenIsVerifiedOnceUntilItExpires() throws {
        let provider = TestProvider()
        let token = TokenFactory.token(TestProvider.rsa, .rs256)
        for second in 0..<100 { _ = try provider.verifier.verify(token, at: now + Double(second)) }
        XCTAssertEqual(provider.counter.count, 1)
        _ = try provider.verifier.verify(TokenFactory.token(TestProvider.rsa, .ps256), at: now)
        XCTAssertEqual(provider.counter.count, 2, "another token is checked")
        // exp is now + 300, plus 60 s of leeway: past that the cache does not answer, and the token is refused.
        XCTAssertThrowsError(try provider.verifier.verify(token, at: now + 361)) { error in
            XCTAssertEqual(error as? BearerTokenRefusal, .expired)
        }
        XCTAssertEqual(provider.counter.count, 3)
    }

    func testTheCacheIsBounded() throws {
        let provider = TestProvider(cacheCapacity: 2)
        let tokens = (0..<3).map { TokenFactory.token(TestProvider.ed25519, .edDSA, claims: TokenFactory.claims(["sub": #""user-\#($0)""#])) }
        for token in tokens { _ = try provider.verifier.verify(token, at: now) }
        for token in tokens { _ = try provider.verifier.verify(token, at: now) }
        // Three tokens through a cache of two: some of the second round had to be checked again.
        XCTAssertGreaterThan(provider.counter.count, 3)
        var cache = VerifiedTokenCache(capacity: 2)
        let grant = AccessGrant(subject: "s", issuer: "i", datasets: nil, validUntil: now + 10)
        for digest in 0..<50 { cache.store(grant, digest: [UInt8(digest)], now: now) }
        XCTAssertLessThanOrEqual(cache.count, 2)
    }

    func testJunkKeyIDsCauseAtMostOneReadEveryTenSeconds() {
        let provider = TestProvider()
        XCTAssertEqual(provider.document.reads, 1, "the key set is read when the verifier starts")
        // 1,000 tokens with made-up kids over 25 simulated seconds.
        for index in 0..<1000 {
            let stranger = TestSigningKey.Junk(keyID: "junk-\(index)")
            XCTAssertThrowsError(try provider.verifier.verify(stranger.token, at: now + Double(index) * 0.025))
        }
        // Re-reads at 0, 10 and 20 s, whatever the number of kids.
        XCTAssertEqual(provider.document.reads, 1 + 3)
        XCTAssertEqual(provider.counter.count, 0)
    }

    func testANewKeyIsFoundByItsFirstToken() throws {
        let provider = TestProvider(keys: [TestProvider.rsa.jwk()])
        let rotated = TestSigningKey(.p256, keyID: "ec-2")
        provider.document.replace(keys: [TestProvider.rsa.jwk(), rotated.jwk()])
        XCTAssertEqual(try provider.verifier.verify(TokenFactory.token(rotated, .es256), at: now + 1).subject, "user-1")
    }

    func testARemovedKeysTokensAreRefusedOnceTheChangedFileIsSeen() throws {
        let provider = TestProvider()
        let token = TokenFactory.token(TestProvider.p256, .es256)
        _ = try provider.verifier.verify(token, at: now)
        provider.document.replace(keys: [TestProvider.rsa.jwk(), TestProvider.ed25519.jwk()])
        // Before the next routine check the cached grant still answers; at it the key is gone.
        XCTAssertNoThrow(try provider.verifier.verify(token, at: now + 5))
        XCTAssertThrowsError(try provider.verifier.verify(token, at: now + 15)) { error in
            XCTAssertEqual(error as? BearerTokenRefusal, .unknownKey)
        }
        XCTAssertNoThrow(try provider.verifier.verify(TokenFactory.token(TestProvider.rsa, .rs256), at: now + 16))
    }

    func testABrokenKeySetFileKeepsTheKeysFromBefore() throws {
        let provider = TestProvider()
        provider.document.json = "{\"keys\": ["
        provider.document.changed = true
        XCTAssertNoThrow(try provider.verifier.verify(TokenFactory.token(TestProvider.rsa, .rs256), at: now + 20))
        XCTAssertEqual(provider.verifier.keySetError?.description.hasPrefix("the key set is not JSON"), true)
        XCTAssertEqual(provider.verifier.keySet.keyIDs, ["ec-1", "ed-1", "rsa-1"])
    }

    func testTheScheduleChecksAtMostEverySixtySeconds() {
        var schedule = KeySetReloadSchedule(checkInterval: 600)
        XCTAssertEqual(schedule.checkInterval, 60)
        XCTAssertTrue(schedule.takeCheck(at: 100))
        XCTAssertFalse(schedule.takeCheck(at: 159))
        XCTAssertTrue(schedule.takeCheck(at: 160))
        XCTAssertTrue(schedule.takeCheck(at: 50), "a clock set back does not stall the checks")
    }
}
