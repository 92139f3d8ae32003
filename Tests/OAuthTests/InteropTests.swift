import Digests
import FramesCore
import ProcessSupport
import Signatures
import XCTest

/// Tokens and a key set made by PyPI's `cryptography` (tools/fixtures/make_jwt_fixtures.py), an implementation
/// that shares nothing with this service's signing or its test signer, read from the file as a worker would.
final class InteropTests: XCTestCase {
    private static let fixtures = String(#filePath.dropLast("InteropTests.swift".count)) + "Fixtures/"

    func testTokensFromAnotherImplementationVerify() throws {
        let document = try JSONParser.parse(Array(try TextFile.read(Self.fixtures + "interop_tokens.json").utf8))
        let now = try XCTUnwrap(document["now"]?.number)
        let policy = ClaimsPolicy(issuer: try XCTUnwrap(document["issuer"]?.string), audience: try XCTUnwrap(document["audience"]?.string))
        let verifier = BearerTokenVerifier(policy: policy, source: WatchedFile(path: Self.fixtures + "interop_jwks.json"),
                                           makeKey: PublicKey.make, hashes: SystemHashes(), now: now)
        XCTAssertNil(verifier.keySetError)
        XCTAssertEqual(verifier.keySet.keyIDs, ["ec", "ed", "rsa", "spare"])
        let tokens = try XCTUnwrap(document["tokens"]?.array)
        XCTAssertEqual(tokens.count, 8)
        for case let .object(fixture) in tokens {
            let algorithm = try XCTUnwrap(fixture["alg"]?.string)
            let token = try XCTUnwrap(fixture["token"]?.string)
            if fixture["valid"] == .bool(true) {
                let grant = try verifier.verify(token, at: now)
                XCTAssertEqual(grant.subject, fixture["subject"]?.string, algorithm)
                XCTAssertEqual(grant.datasets, fixture["datasets"]?.array?.compactMap(\.string), algorithm)
            } else {
                XCTAssertThrowsError(try verifier.verify(token, at: now), algorithm) { error in
                    XCTAssertEqual(error as? BearerTokenRefusal, .badSignature, algorithm)
                }
            }
        }
    }
}
