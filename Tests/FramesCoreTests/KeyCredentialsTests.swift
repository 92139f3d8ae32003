import Digests
import FramesCore
import XCTest

/// What a worker decides from a key's row: current and previous secrets, revocation, expiry, scope,
/// and the constant-time comparison underneath.
final class KeyCredentialsTests: XCTestCase {
    private let keyIDBytes = [UInt8](repeating: 7, count: 10)
    private let hashes = SystemHashes()
    private func token(_ seed: UInt8) -> APIToken {
        APIToken(keyIDBytes: keyIDBytes, secret: (0..<32).map { UInt8(truncatingIfNeeded: Int($0) * 13 + Int(seed)) },
                 hashes: hashes)
    }
    private func key(_ current: APIToken) -> KeyCredentials {
        KeyCredentials(name: "lab", keyID: current.keyID, secretHash: current.storedHash)
    }
    private func refusal(_ credentials: KeyCredentials, _ token: APIToken, at now: Double) -> KeyRefusal? {
        do {
            try credentials.admit(token, at: now)
            return nil
        } catch {
            return error
        }
    }

    func testConstantTimeEqualityIsEquality() {
        let a: [UInt8] = Array(0..<32)
        XCTAssertTrue(ConstantTime.equal(a, a))
        XCTAssertTrue(ConstantTime.equal([], []))
        for position in [0, 15, 31] {
            var b = a
            b[position] ^= 0x80
            XCTAssertFalse(ConstantTime.equal(a, b), "differs at \(position)")
        }
        XCTAssertFalse(ConstantTime.equal(a, Array(a.dropLast())))
        XCTAssertFalse(ConstantTime.equal(a, a + [0]))
    }

    func testTheStoredHashIsTheSHA256OfTheSecret() {
        let token = token(1)
        XCTAssertEqual(token.storedHash, SHA256.hash(token.secret))
        XCTAssertTrue(KeySecretHash.matches(token, stored: token.storedHash))
        XCTAssertFalse(KeySecretHash.matches(self.token(2), stored: token.storedHash))
    }

    func testTheCurrentSecretIsAdmittedAndAnyOtherIsUnknown() {
        let credentials = key(token(1))
        XCTAssertNil(refusal(credentials, token(1), at: 1000))
        XCTAssertEqual(refusal(credentials, token(2), at: 1000), .unknown)
        let otherKey = APIToken(keyIDBytes: [UInt8](repeating: 8, count: 10), secret: token(1).secret, hashes: hashes)
        XCTAssertEqual(refusal(credentials, otherKey, at: 1000), .unknown)
    }

    func testThePreviousSecretWorksUntilTheGraceEnds() {
        var credentials = key(token(2))
        credentials.previousSecretHash = token(1).storedHash
        credentials.previousValidUntil = 2000
        XCTAssertNil(refusal(credentials, token(1), at: 1999))
        XCTAssertNil(refusal(credentials, token(2), at: 1999))
        XCTAssertEqual(refusal(credentials, token(1), at: 2000), .unknown)
        XCTAssertNil(refusal(credentials, token(2), at: 2000))
    }

    /// Revoked and expired are said only to the holder of the secret: a forger learns nothing.
    func testRevokedAndExpiredAreToldOnlyToTheSecretsHolder() {
        var revoked = key(token(1))
        revoked.revokedAt = 500
        XCTAssertEqual(refusal(revoked, token(1), at: 1000), .revoked)
        XCTAssertEqual(refusal(revoked, token(2), at: 1000), .unknown)
        var expiring = key(token(1))
        expiring.expiresAt = 1000
        XCTAssertNil(refusal(expiring, token(1), at: 999))
        XCTAssertEqual(refusal(expiring, token(1), at: 1000), .expired)
        XCTAssertEqual(refusal(expiring, token(2), at: 1000), .unknown)
    }

    func testDatasetScope() {
        var credentials = key(token(1))
        XCTAssertTrue(credentials.allows(dataset: "anything"))
        credentials.datasets = ["well_a", "well_b"]
        XCTAssertTrue(credentials.allows(dataset: "well_b"))
        XCTAssertFalse(credentials.allows(dataset: "well_c"))
    }

    func testLastUseIsWrittenAtMostOnceAMinutePerKey() {
        var recorder = KeyUseRecorder()
        XCTAssertTrue(recorder.shouldRecord(keyID: "a", now: 100))
        XCTAssertFalse(recorder.shouldRecord(keyID: "a", now: 159.9))
        XCTAssertTrue(recorder.shouldRecord(keyID: "b", now: 159.9))
        XCTAssertTrue(recorder.shouldRecord(keyID: "a", now: 160))
        XCTAssertFalse(recorder.shouldRecord(keyID: "a", now: 200))
    }

    func testHexRoundTrip() {
        let bytes: [UInt8] = [0, 1, 0x7f, 0x80, 0xab, 0xff]
        XCTAssertEqual([UInt8](hexString: bytes.hexString), bytes)
        XCTAssertEqual([UInt8](hexString: "ABcd"), [0xab, 0xcd])
        XCTAssertNil([UInt8](hexString: "abc"))
        XCTAssertNil([UInt8](hexString: "zz"))
    }
}
