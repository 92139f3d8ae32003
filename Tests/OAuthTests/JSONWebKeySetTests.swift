import FramesCore
import Signatures
import XCTest

/// The provider's key set as a worker reads it: usable keys by kid, the rest left out with a reason.
final class JSONWebKeySetTests: XCTestCase {
    func testUsableKeysAreKeptAndOthersLeftOutWithTheirReason() throws {
        let document = KeySetDocument.set([
            TestProvider.rsa.jwk(extra: #""use":"sig","alg":"RS256""#),
            TestProvider.p256.jwk(),
            TestProvider.ed25519.jwk(),
            TestSigningKey(.rsa, keyID: "enc-1").jwk(extra: #""use":"enc""#),
            #"{"kid":"hmac","kty":"oct","k":"c2VjcmV0"}"#,
            #"{"kid":"p384","kty":"EC","crv":"P-384","x":"AA","y":"AA"}"#,
            #"{"kid":"off-curve","kty":"EC","crv":"P-256","x":"\#(base64URL([UInt8](repeating: 1, count: 32)))","y":"\#(base64URL([UInt8](repeating: 2, count: 32)))"}"#,
            // A 512-bit modulus: libcrypto takes it, the service does not.
            #"{"kid":"short","kty":"RSA","n":"\#(base64URL([0xC1] + [UInt8](repeating: 0x35, count: 62) + [0x0B]))","e":"AQAB"}"#,
            #"{"kid":"dup","kty":"OKP","crv":"Ed25519","x":"\#(base64URL([UInt8](repeating: 3, count: 32)))"}"#,
            #"{"kid":"dup","kty":"OKP","crv":"Ed25519","x":"\#(base64URL([UInt8](repeating: 4, count: 32)))"}"#,
            #"{"kid":"hs","kty":"RSA","n":"AQAB","e":"AQAB","alg":"HS256"}"#,
        ])
        let keySet = try JSONWebKeySet(parsing: Array(document.utf8), makeKey: PublicKey.make)
        XCTAssertEqual(keySet.keyIDs, ["ec-1", "ed-1", "rsa-1"])
        XCTAssertEqual(keySet["rsa-1"]?.key.algorithm, .rs256)
        XCTAssertEqual(keySet.ignored.map(\.description), [
            "key enc-1 is not a signing key (use)",
            "key hmac is neither RSA, EC P-256 nor OKP Ed25519",
            "key p384 is neither RSA, EC P-256 nor OKP Ed25519",
            "key off-curve is refused by libcrypto",
            "key short is an RSA key of 512 bits, under 2048",
            "key dup is given more than once",
            "key hs is for an algorithm this service does not verify (alg)",
        ])
    }

    func testAFileThatIsNotAKeySetIsAnError() {
        for text in ["", "keys", #"{"keys":{}}"#, #"[{"kid":"a"}]"#] {
            XCTAssertThrowsError(try JSONWebKeySet(parsing: Array(text.utf8), makeKey: PublicKey.make), text)
        }
    }

    func testAKeyChecksOnlyItsOwnSignatures() throws {
        let key = try PublicKey(try JSONWebKey(json: JSONParser.parse(Array(TestProvider.p256.jwk().utf8))))
        let input = Array("header.claims".utf8)
        let signature = TestProvider.p256.sign(input, .es256)
        XCTAssertTrue(key.verifies(signature, of: input, with: .es256))
        XCTAssertFalse(key.verifies(signature, of: Array("header.claimz".utf8), with: .es256))
        XCTAssertFalse(key.verifies(Array(signature.dropLast()), of: input, with: .es256), "63 bytes")
        XCTAssertFalse(key.verifies([UInt8](repeating: 0, count: 64), of: input, with: .es256))
        let rsa = try PublicKey(try JSONWebKey(json: JSONParser.parse(Array(TestProvider.rsa.jwk().utf8))))
        // PKCS#1 v1.5 and PSS signatures are not interchangeable.
        XCTAssertFalse(rsa.verifies(TestProvider.rsa.sign(input, .rs256), of: input, with: .ps256))
        XCTAssertFalse(rsa.verifies(TestProvider.rsa.sign(input, .ps256), of: input, with: .rs256))
    }
}
