import Digests
import FramesCore
import Glibc
import ProcessSupport
import Signatures
import XCTest

/// The JWKS file as the timer replaces it: atomically, by a rename over the old one.
final class WatchedFileTests: XCTestCase {
    func testTheFileIsReadAgainOnlyWhenItChanged() throws {
        let directory = String(cString: mkdtemp(strdup("/tmp/watched-XXXXXX"))!)
        defer { _ = system("rm -rf '\(directory)'") }
        let path = directory + "/jwks.json"
        try AtomicFile.write(Array(#"{"keys":[]}"#.utf8), to: path)
        var file = WatchedFile(path: path)
        XCTAssertEqual(try file.read(force: false), Array(#"{"keys":[]}"#.utf8))
        XCTAssertNil(try file.read(force: false))
        XCTAssertEqual(try file.read(force: true), Array(#"{"keys":[]}"#.utf8))
        try AtomicFile.write(Array(#"{"keys":[{}]}"#.utf8), to: path)
        XCTAssertEqual(try file.read(force: false), Array(#"{"keys":[{}]}"#.utf8))
        unlink(path)
        XCTAssertThrowsError(try file.read(force: false)) { error in
            XCTAssertEqual((error as? KeySetLoadError)?.description, "cannot read \(path): No such file or directory")
        }
    }

    func testAWorkerStartedBeforeTheFirstFetchTakesTokensOnceTheFileAppears() throws {
        let directory = String(cString: mkdtemp(strdup("/tmp/watched-XXXXXX"))!)
        defer { _ = system("rm -rf '\(directory)'") }
        let path = directory + "/jwks.json"
        let now = TokenFactory.now
        let verifier = BearerTokenVerifier(policy: ClaimsPolicy(issuer: TokenFactory.issuer, audience: TokenFactory.audience),
                                           source: WatchedFile(path: path), makeKey: PublicKey.make, hashes: SystemHashes(), now: now)
        XCTAssertEqual(verifier.keySetError?.description, "cannot read \(path): No such file or directory")
        let token = TokenFactory.token(TestProvider.ed25519, .edDSA)
        XCTAssertThrowsError(try verifier.verify(token, at: now + 1))
        try AtomicFile.write(Array(KeySetDocument.set([TestProvider.ed25519.jwk()]).utf8), to: path)
        // The routine check (every 15 s by default) finds the new file.
        XCTAssertEqual(try verifier.verify(token, at: now + 16).subject, "user-1")
        XCTAssertNil(verifier.keySetError)
    }
}
