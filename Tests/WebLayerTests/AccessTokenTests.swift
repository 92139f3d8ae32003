@testable import FastCGICommand
import Foundation
import FramesCore
import TokenSigning
import XCTest

/// `FRAMES_AUTH=required` with an identity provider: JWT access tokens, signed here with keys made in
/// libcrypto, beside API keys.
final class AccessTokenTests: XCTestCase {
    private static let provider = TestSigningKey(.p256, keyID: "ec-1")
    private static let stranger = TestSigningKey(.p256, keyID: "ec-1")

    private func web(rate: Double = 0) -> WebLayer {
        let web = WebLayer()
        web.authRequired = true
        web.rateDefaults = RateLimit.Defaults(rate: rate, burst: nil)
        web.providerKeySet = #"{"keys":[\#(Self.provider.jwk())]}"#
        web.data.add("well", frames: frames(count: 3))
        web.data.add("core", frames: frames(count: 2))
        return web
    }

    /// A token valid now, with `replacing` changing its claims (nil removes one).
    private func token(_ replacing: [String: String?] = [:], signer: TestSigningKey = provider) -> [String: String] {
        let now = Int(Date().timeIntervalSince1970)
        var claims: [String: String?] = ["exp": "\(now + 300)", "iat": "\(now - 10)", "nbf": "\(now - 10)"]
        claims.merge(replacing) { $1 }
        return ["Authorization": "Bearer " + TokenFactory.token(signer, .es256, claims: TokenFactory.claims(claims))]
    }

    private func assertRefused(_ answer: Answer, _ status: Int, _ challenge: String, _ outcome: RequestOutcome,
                               caller: Bool = false, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(answer.status, status, file: file, line: line)
        XCTAssertEqual(answer.header("Content-Type"), "application/problem+json", file: file, line: line)
        XCTAssertEqual(answer.header("WWW-Authenticate"), challenge, file: file, line: line)
        XCTAssertEqual(answer.summary.outcome, outcome, file: file, line: line)
        XCTAssertEqual(answer.summary.caller != nil, caller, "a bad token names nobody in the log", file: file, line: line)
    }

    func testAGoodTokenReadsAndTheLogNamesItsSubjectAndIssuer() {
        let web = web()
        let answer = web.get("/frames?dataset=well&depth_min=100&depth_max=101", headers: token())
        XCTAssertEqual(answer.status, 200)
        XCTAssertEqual(answer.summary.outcome, .answered)
        XCTAssertEqual(answer.summary.caller?.logFields, ["sub": .string("user-1"), "iss": .string(TokenFactory.issuer)])
        XCTAssertEqual(web.keys.lookups, 0, "a token is not an API key")
    }

    func testAnAPIKeyStillWorksBesideTokens() {
        let web = web()
        let key = web.keys.make(name: "viewer")
        XCTAssertEqual(web.get("/datasets", headers: ["Authorization": "Bearer " + key.text]).status, 200)
    }

    func testEachFaultOfTheTokenIs401InvalidToken() {
        let now = Int(Date().timeIntervalSince1970)
        let cases: [(String, [String: String?], TestSigningKey, String)] = [
            ("expired", ["exp": "\(now - 3600)"], Self.provider, "the access token has expired"),
            ("not yet valid", ["nbf": "\(now + 3600)"], Self.provider, "the access token is not valid yet (nbf)"),
            ("wrong issuer", ["iss": #""https://evil.example.org""#], Self.provider, "the access token is from another issuer"),
            ("wrong audience", ["aud": #""other""#], Self.provider, "the access token is not meant for this service (aud)"),
            ("no expiry", ["exp": nil], Self.provider, "the access token has no expiry (exp)"),
            ("another key under the provider's kid", [:], Self.stranger, "the access token's signature is not valid"),
        ]
        for (name, claims, signer, description) in cases {
            let answer = web().get("/datasets", headers: token(claims, signer: signer))
            assertRefused(answer, 401, #"Bearer realm="frames", error="invalid_token", error_description="\#(description)""#,
                          .invalidToken)
            XCTAssertEqual(answer.detail, description, name)
        }
    }

    func testAMalformedOrHugeTokenIs401InvalidTokenWithoutAKeyLookup() {
        let web = web()
        let huge = String(repeating: "a", count: 65536) + ".b.c"
        for token in ["a.b.c", huge] {
            let answer = web.get("/datasets", headers: ["Authorization": "Bearer " + token])
            XCTAssertEqual(answer.status, 401)
            XCTAssertTrue(answer.header("WWW-Authenticate")?.hasPrefix(#"Bearer realm="frames", error="invalid_token""#) ?? false)
            XCTAssertEqual(answer.summary.outcome, .invalidToken)
        }
        XCTAssertEqual(web.keys.lookups, 0)
    }

    func testADatasetOutsideTheScopesIs403InsufficientScope() {
        let web = web()
        let narrow = token(["scope": #""openid frames:read:core""#])
        assertRefused(web.get("/frames?dataset=well&depth_min=100&depth_max=101", headers: narrow), 403,
                      #"Bearer realm="frames", error="insufficient_scope", "#
                          + #"error_description="the access token lacks the scope frames:read:well", scope="frames:read:well""#,
                      .insufficientScope, caller: true)
        XCTAssertEqual(web.get("/datasets/well", headers: narrow).status, 403)
        XCTAssertEqual(web.get("/frames?dataset=core&depth_min=100&depth_max=101", headers: narrow).status, 200)
    }

    func testANarrowTokenSeesOnlyItsDatasetsAndMustNameOne() {
        let web = web()
        let narrow = token(["scope": #""frames:read:core""#])
        let listed = web.get("/datasets", headers: narrow)
        XCTAssertEqual(listed.status, 200)
        let names = (listed.json as? [[String: Any]])?.compactMap { $0["name"] as? String }
        XCTAssertEqual(names, ["core"])
        assertProblem(web.get("/statistics", headers: narrow), 400,
                      "this access token covers only some datasets; name one with dataset=: core")
    }

    func testATokenWithoutAnyFramesScopeReadsNothing() {
        let answer = web().get("/frames?dataset=well&depth_min=100&depth_max=101", headers: token(["scope": #""openid""#]))
        XCTAssertEqual(answer.status, 403)
        XCTAssertEqual(answer.summary.outcome, .insufficientScope)
    }

    func testEachSubjectHasItsOwnRateLimit() {
        let web = web(rate: 0.001)  // a burst of 1
        XCTAssertEqual(web.get("/datasets", headers: token()).status, 200)
        let refused = web.get("/datasets", headers: token())
        XCTAssertEqual(refused.status, 429)
        XCTAssertNotNil(refused.header("Retry-After"))
        XCTAssertEqual(refused.summary.outcome, .rateLimited)
        XCTAssertEqual(refused.summary.caller?.logFields["sub"], .string("user-1"), "the log names the subject of a 429")
        XCTAssertEqual(web.get("/datasets", headers: token(["sub": #""user-2""#])).status, 200)
    }
}
