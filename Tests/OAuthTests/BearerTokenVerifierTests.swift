import Digests
import FramesCore
import XCTest

/// Tokens signed in the test by keys it made, through the real verifier and libcrypto: what a worker
/// would grant or refuse, and whether it got as far as a signature check.
final class BearerTokenVerifierTests: XCTestCase {
    let now = TokenFactory.now

    func testTheFormTellsAJWTFromAnAPIKey() {
        let key = APIToken(keyIDBytes: [UInt8](repeating: 9, count: APIToken.keyIDByteCount),
                           secret: [UInt8](repeating: 200, count: APIToken.secretByteCount), hashes: SystemHashes())
        XCTAssertFalse(CompactJWS.looksLikeJWT(key.text))
        XCTAssertTrue(CompactJWS.looksLikeJWT(TokenFactory.token(TestProvider.ed25519, .edDSA)))
        XCTAssertTrue(CompactJWS.looksLikeJWT("a.b"), "malformed, but for the JWT path to refuse")
    }

    func testAGoodTokenOfEachAlgorithmIsAccepted() throws {
        let provider = TestProvider()
        let cases: [(TestSigningKey, JWSAlgorithm)] = [
            (TestProvider.rsa, .rs256), (TestProvider.rsa, .ps256), (TestProvider.p256, .es256), (TestProvider.ed25519, .edDSA),
        ]
        for (key, algorithm) in cases {
            let grant = try provider.verifier.verify(TokenFactory.token(key, algorithm), at: now)
            XCTAssertEqual(grant, AccessGrant(subject: "user-1", issuer: TokenFactory.issuer, datasets: nil, validUntil: now + 300 + 60),
                           algorithm.rawValue)
        }
        XCTAssertEqual(provider.counter.count, cases.count)
    }

    func testClaimsOutsideThePolicyAreRefused() {
        let cases: [(String, [String: String?], BearerTokenRefusal)] = [
            ("expired beyond the leeway", ["exp": "\(Int(now) - 61)"], .expired),
            ("not valid yet", ["nbf": "\(Int(now) + 120)"], .notYetValid),
            ("issued in the future", ["iat": "\(Int(now) + 120)"], .issuedInTheFuture),
            ("another issuer", ["iss": #""https://evil.example.org""#], .wrongIssuer),
            ("no issuer", ["iss": nil], .wrongIssuer),
            ("another audience", ["aud": #""other-api""#], .wrongAudience),
            ("no audience", ["aud": nil], .wrongAudience),
            ("no expiry", ["exp": nil], .missingExpiry),
            ("no subject", ["sub": nil], .missingSubject),
            ("an expiry that is not a number", ["exp": #""never""#], .malformed("the claim exp is not a number")),
        ]
        for (name, claims, refusal) in cases {
            let provider = TestProvider()
            let token = TokenFactory.token(TestProvider.p256, .es256, claims: TokenFactory.claims(claims))
            XCTAssertThrowsError(try provider.verifier.verify(token, at: now), name) { error in
                XCTAssertEqual(error as? BearerTokenRefusal, refusal, name)
            }
        }
    }

    func testTheLeewayIsSixtySecondsAtMost() throws {
        let provider = TestProvider()
        let lateButWithinLeeway = TokenFactory.claims(["exp": "\(Int(now) - 59)", "nbf": "\(Int(now) + 59)", "iat": "\(Int(now) + 59)"])
        XCTAssertNoThrow(try provider.verifier.verify(TokenFactory.token(TestProvider.ed25519, .edDSA, claims: lateButWithinLeeway), at: now))
        XCTAssertEqual(ClaimsPolicy(issuer: "i", audience: "a", leeway: 3600).leeway, 60)
    }

    func testAnAudienceStringAndClientCredentialsSubjectsAreAccepted() throws {
        let provider = TestProvider()
        let claims = TokenFactory.claims(["aud": #""\#(TokenFactory.audience)""#, "sub": nil, "azp": #""batch-client""#])
        XCTAssertEqual(try provider.verifier.verify(TokenFactory.token(TestProvider.rsa, .rs256, claims: claims), at: now).subject,
                       "batch-client")
        let clientID = TokenFactory.claims(["sub": nil, "client_id": #""okta-client""#])
        XCTAssertEqual(try provider.verifier.verify(TokenFactory.token(TestProvider.rsa, .rs256, claims: clientID), at: now).subject,
                       "okta-client")
    }

    func testAlgorithmNoneIsRefusedWithoutASignatureCheck() {
        let input = base64URL(TokenFactory.header("none", keyID: "rsa-1")) + "." + base64URL(TokenFactory.claims())
        assertRefused(input + ".", .unsupportedAlgorithm, checks: 0)
        assertRefused(input + "." + base64URL("junk"), .unsupportedAlgorithm, checks: 0)
    }

    func testHS256SignedWithThePublicKeyIsRefused() {
        let input = base64URL(TokenFactory.header("HS256", keyID: "rsa-1")) + "." + base64URL(TokenFactory.claims())
        let secret = Array(TestProvider.rsa.jwk().utf8)
        assertRefused(input + "." + base64URL(hmacSHA256(key: secret, data: Array(input.utf8))), .unsupportedAlgorithm, checks: 0)
        for hmac in ["HS384", "HS512"] {
            let other = base64URL(TokenFactory.header(hmac, keyID: "rsa-1")) + "." + base64URL(TokenFactory.claims())
            assertRefused(other + "." + base64URL("mac"), .unsupportedAlgorithm, checks: 0)
        }
    }

    func testAnAlgorithmThatDoesNotFitTheKeyIsRefused() {
        // An ES256 signature made with the EC key but naming the RSA key's kid.
        let input = base64URL(TokenFactory.header("ES256", keyID: "rsa-1")) + "." + base64URL(TokenFactory.claims())
        assertRefused(input + "." + base64URL(TestProvider.p256.sign(Array(input.utf8), .es256)), .algorithmDoesNotFitKey, checks: 0)
        // A key pinned to RS256 does not take PS256, though both are RSA.
        let pinned = TestProvider(keys: [TestProvider.rsa.jwk(extra: #""alg":"RS256""#)])
        XCTAssertThrowsError(try pinned.verifier.verify(TokenFactory.token(TestProvider.rsa, .ps256), at: now)) { error in
            XCTAssertEqual(error as? BearerTokenRefusal, .algorithmDoesNotFitKey)
        }
        XCTAssertNoThrow(try pinned.verifier.verify(TokenFactory.token(TestProvider.rsa, .rs256), at: now))
    }

    func testATamperedPayloadFailsItsSignature() {
        for (key, algorithm) in [(TestProvider.rsa, JWSAlgorithm.rs256), (TestProvider.rsa, .ps256), (TestProvider.p256, .es256),
                                 (TestProvider.ed25519, .edDSA)] {
            let parts = TokenFactory.token(key, algorithm, claims: TokenFactory.claims(["scope": #""frames:read:one""#]))
                .split(separator: ".").map(String.init)
            let widened = base64URL(TokenFactory.claims(["scope": #""frames:read""#]))
            assertRefused([parts[0], widened, parts[2]].joined(separator: "."), .badSignature, checks: 1)
        }
    }

    func testAStrippedSignatureIsRefusedWithoutASignatureCheck() {
        let parts = TokenFactory.token(TestProvider.rsa, .rs256).split(separator: ".").map(String.init)
        assertRefused(parts[0] + "." + parts[1] + ".", .malformed("it has no signature"), checks: 0)
        assertRefused(parts[0] + "." + parts[1], .malformed("it is not three parts separated by dots"), checks: 0)
    }

    func testAnUnknownKeyIsRefused() {
        let stranger = TestSigningKey(.p256, keyID: "elsewhere")
        assertRefused(TokenFactory.token(stranger, .es256), .unknownKey, checks: 0)
        let noKeyID = base64URL(TokenFactory.header("ES256", keyID: nil)) + "." + base64URL(TokenFactory.claims())
        assertRefused(noKeyID + "." + base64URL(TestProvider.p256.sign(Array(noKeyID.utf8), .es256)), .unknownKey, checks: 0)
    }

    func testAKeyOfTheSameIDButAnotherPairFailsItsSignature() {
        let impostor = TestSigningKey(.ed25519, keyID: "ed-1")
        assertRefused(TokenFactory.token(impostor, .edDSA), .badSignature, checks: 1)
    }

    func testJunkIsRefusedBeforeAnySignatureWork() {
        let good = TokenFactory.token(TestProvider.rsa, .rs256)
        let parts = good.split(separator: ".").map(String.init)
        let huge = parts[0] + "." + base64URL([UInt8](repeating: 0x41, count: 48 * 1024)) + "." + parts[2]
        XCTAssertGreaterThanOrEqual(huge.utf8.count, 64 * 1024)
        assertRefused(huge, .tooLong(byteCount: huge.utf8.count), checks: 0)
        assertRefused(base64URL("alg=RS256") + "." + parts[1] + "." + parts[2], .malformed("the header is not JSON"), checks: 0)
        assertRefused(base64URL("[1,2]") + "." + parts[1] + "." + parts[2], .malformed("the header is not a JSON object"), checks: 0)
        assertRefused(parts[0] + "." + base64URL("{\"exp\":") + "." + parts[2], .malformed("the claims are not JSON"), checks: 0)
        assertRefused(parts[0] + "=." + parts[1] + "." + parts[2], .malformed("a part is not base64url"), checks: 0)
        assertRefused(parts[0] + "." + parts[1] + "." + parts[2] + "+", .malformed("a part is not base64url"), checks: 0)
        let duplicateAlg = base64URL(#"{"alg":"RS256","kid":"rsa-1","alg":"none"}"#)
        assertRefused(duplicateAlg + "." + parts[1] + "." + parts[2], .malformed("the header is not JSON"), checks: 0)
        let critical = base64URL(#"{"alg":"RS256","kid":"rsa-1","crit":["exp"]}"#)
        assertRefused(critical + "." + parts[1] + "." + parts[2], .criticalExtension, checks: 0)
    }

    func testRefusalsCarryRFC6750Challenges() {
        XCTAssertEqual(BearerTokenRefusal.expired.challenge,
                       #"Bearer realm="frames", error="invalid_token", error_description="the access token has expired""#)
        XCTAssertEqual(BearerTokenRefusal.insufficientScope(scope: "frames:read:well-7").challenge,
                       #"Bearer realm="frames", error="insufficient_scope", "#
                        + #"error_description="the access token lacks the scope frames:read:well-7", scope="frames:read:well-7""#)
        let refusals: [BearerTokenRefusal] = [.tooLong(byteCount: 9000), .malformed("x"), .unsupportedAlgorithm, .criticalExtension,
                                              .unknownKey, .algorithmDoesNotFitKey, .badSignature, .missingExpiry, .expired,
                                              .notYetValid, .issuedInTheFuture, .wrongIssuer, .wrongAudience, .missingSubject]
        for refusal in refusals {
            XCTAssertEqual(refusal.errorCode, "invalid_token")
            XCTAssertNil(refusal.requiredScope)
            // RFC 6750 §3: error_description is printable ASCII without '"' and '\'.
            XCTAssertTrue(refusal.description.utf8.allSatisfy { (0x20...0x7E).contains($0) && $0 != 0x22 && $0 != 0x5C }, "\(refusal)")
        }
    }

    private func assertRefused(_ token: String, _ refusal: BearerTokenRefusal, checks: Int, line: UInt = #line) {
        let provider = TestProvider()
        XCTAssertThrowsError(try provider.verifier.verify(token, at: now), line: line) { error in
            XCTAssertEqual(error as? BearerTokenRefusal, refusal, line: line)
        }
        XCTAssertEqual(provider.counter.count, checks, "signature checks", line: line)
    }
}
