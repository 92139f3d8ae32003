import FramesCore
import XCTest

/// Scopes as the datasets a token reads, in the form an API key's dataset scope takes.
final class AccessGrantTests: XCTestCase {
    func testScopesBecomeDatasets() {
        XCTAssertNil(AccessGrant.datasets(fromScopes: ["openid", "frames:read"]))
        XCTAssertNil(AccessGrant.datasets(fromScopes: ["frames:read:well-7", "frames:read"]))
        XCTAssertEqual(AccessGrant.datasets(fromScopes: ["frames:read:well-7", "email", "frames:read:well-9", "frames:read:well-7"]),
                       ["well-7", "well-9"])
        XCTAssertEqual(AccessGrant.datasets(fromScopes: ["openid", "frames:write", "frames:read:", "frames:readall"]), [])
    }

    func testScopeClaimsInEachProvidersForm() throws {
        let provider = TestProvider()
        let cases: [(String, [String: String?])] = [
            ("scope, space-separated (Keycloak, RFC 8693)", ["scope": #""openid frames:read:well-7 frames:read:well-9""#]),
            ("scp as an array (Okta)", ["scope": nil, "scp": #"["frames:read:well-7","frames:read:well-9"]"#]),
            ("scp space-separated (Entra ID)", ["scope": nil, "scp": #""frames:read:well-7 frames:read:well-9""#]),
        ]
        for (name, claims) in cases {
            let token = TokenFactory.token(TestProvider.ed25519, .edDSA, claims: TokenFactory.claims(claims))
            let grant = try provider.verifier.verify(token, at: TokenFactory.now)
            XCTAssertEqual(grant.datasets, ["well-7", "well-9"], name)
            XCTAssertTrue(grant.allows(dataset: "well-9"), name)
            XCTAssertFalse(grant.allows(dataset: "well-8"), name)
        }
    }

    func testATokenWithoutTheScopeIsInsufficientNotInvalid() throws {
        let provider = TestProvider()
        let token = TokenFactory.token(TestProvider.rsa, .ps256, claims: TokenFactory.claims(["scope": #""openid profile""#]))
        let grant = try provider.verifier.verify(token, at: TokenFactory.now)
        XCTAssertEqual(grant.datasets, [])
        XCTAssertThrowsError(try grant.authorize(dataset: "well-7")) { error in
            let refusal = error as? BearerTokenRefusal
            XCTAssertEqual(refusal, .insufficientScope(scope: "frames:read:well-7"))
            XCTAssertEqual(refusal?.errorCode, "insufficient_scope")
            XCTAssertEqual(refusal?.requiredScope, "frames:read:well-7")
        }
    }

    func testAScopeClaimOfTheWrongTypeMakesTheTokenMalformed() {
        let provider = TestProvider()
        let token = TokenFactory.token(TestProvider.rsa, .rs256, claims: TokenFactory.claims(["scp": "[1,2]"]))
        XCTAssertThrowsError(try provider.verifier.verify(token, at: TokenFactory.now)) { error in
            XCTAssertEqual(error as? BearerTokenRefusal, .malformed("the claim scp holds a value that is not a string"))
        }
    }
}
