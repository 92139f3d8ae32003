import Digests
import FramesCore
import XCTest

/// The token's format, its checksum against typing mistakes, and that no description shows the secret.
final class APITokenTests: XCTestCase {
    private let keyIDBytes: [UInt8] = (0..<10).map { UInt8($0 * 25 + 3) }
    private let secret: [UInt8] = (0..<32).map { UInt8(truncatingIfNeeded: $0 * 97 + 11) }
    private let hashes = SystemHashes()
    private var token: APIToken { APIToken(keyIDBytes: keyIDBytes, secret: secret, hashes: hashes) }

    func testTheTextHasThePrefixAndTheAlphabetAndParsesBack() throws {
        let text = token.text
        XCTAssertTrue(text.hasPrefix("frames_"))
        XCTAssertEqual(text.count, APIToken.length)
        XCTAssertEqual(text.count, 83)
        XCTAssertTrue(text.dropFirst(7).allSatisfy { "abcdefghijklmnopqrstuvwxyz234567_".contains($0) })
        let parsed = try APIToken(parsing: text, hashes: hashes)
        XCTAssertEqual(parsed, token)
        XCTAssertEqual(parsed.secret, secret)
        XCTAssertEqual(parsed.keyID, String(text.dropFirst(7).prefix(16)))
        XCTAssertTrue(APIToken.isKeyID(parsed.keyID))
    }

    /// The token and stored hash that this key id and secret were given before the service took its
    /// hashes from zlib and libcrypto (Python's zlib.crc32, base64.b32encode and hashlib.sha256 agree):
    /// keys issued then still parse and still match their rows.
    func testTokensAndStoredHashesIssuedEarlierStayValid() throws {
        let issued = "frames_amodktthqcm3fs7e_bnwm2lup6bi3ee3u2u3jp6czxinxzxj6t4agdqrdqtsunjyinhfawrm6pxa"
        XCTAssertEqual(token.text, issued)
        let parsed = try APIToken(parsing: issued, hashes: hashes)
        XCTAssertEqual(parsed.storedHash.hexString, "6b4666337ab862d18eecc07de5556b1c7d8e93d3ab012a84e5c4e4762edf860f")
    }

    /// RFC 4648's example: "foobar" is MZXW6YTBOI in base32, here in lower case; the key id is that text
    /// when its bytes are "foobar" and four more.
    func testTheKeyIDIsRFC4648Base32() {
        let key = APIToken(keyIDBytes: Array("foobar".utf8) + [0, 0, 0, 0], secret: secret, hashes: hashes)
        XCTAssertTrue(key.keyID.hasPrefix("mzxw6ytboi"), key.keyID)
    }

    func testEachFreshSecretGivesAnotherToken() {
        let other = APIToken(keyIDBytes: keyIDBytes, secret: secret.map { $0 ^ 1 }, hashes: hashes)
        XCTAssertNotEqual(other.text, token.text)
        XCTAssertEqual(other.keyID, token.keyID)
    }

    func testEverySingleCharacterTypoIsRefused() {
        let text = Array(token.text.utf8)
        let symbols = Array("abcdefghijklmnopqrstuvwxyz234567_ABCXYZ01-".utf8)
        var tried = 0
        for position in text.indices {
            for symbol in symbols where symbol != text[position] {
                var typo = text
                typo[position] = symbol
                XCTAssertThrowsError(try APIToken(parsing: String(decoding: typo, as: UTF8.self), hashes: hashes),
                                     "typo at \(position)")
                tried += 1
            }
        }
        XCTAssertGreaterThan(tried, 83 * 40)
    }

    func testEverySwapOfNeighboursIsRefused() {
        let text = Array(token.text.utf8)
        var tried = 0
        for position in text.indices.dropLast() where text[position] != text[position + 1] {
            var swapped = text
            swapped.swapAt(position, position + 1)
            XCTAssertThrowsError(try APIToken(parsing: String(decoding: swapped, as: UTF8.self), hashes: hashes),
                                 "swap at \(position)")
            tried += 1
        }
        XCTAssertGreaterThan(tried, 60)
    }

    func testATypoInTheSecretIsABadChecksum() {
        var text = Array(token.text.utf8)
        let position = 7 + 16 + 1 + 10
        text[position] = text[position] == UInt8(ascii: "a") ? UInt8(ascii: "b") : UInt8(ascii: "a")
        XCTAssertThrowsError(try APIToken(parsing: String(decoding: text, as: UTF8.self), hashes: hashes)) { error in
            XCTAssertEqual(error as? APITokenError, .badChecksum)
        }
    }

    func testShapeErrorsSayWhich() {
        let text = token.text
        let cases: [(String, APITokenError)] = [
            ("", .missing),
            (String(text.dropLast()), .malformed),
            (text + "a", .malformed),
            ("github_" + text.dropFirst(7), .malformed),
            (text.uppercased(), .malformed),
            (text.replacingOccurrences(of: "_", with: "-"), .malformed),
            (" " + text.dropFirst(), .malformed),
        ]
        for (input, expected) in cases {
            XCTAssertThrowsError(try APIToken(parsing: input, hashes: hashes)) { error in
                XCTAssertEqual(error as? APITokenError, expected, "\(input.count) characters")
            }
        }
    }

    /// The last symbol of the secret carries 4 unused bits: a token that sets them is not a spelling
    /// this code writes, so it must not parse as the same secret.
    func testOnlyTheCanonicalSpellingParses() {
        var text = Array(token.text.utf8)
        let lastSecretSymbol = 7 + 16 + 1 + 51
        for symbol in Array("abcdefghijklmnopqrstuvwxyz234567".utf8) where symbol != text[lastSecretSymbol] {
            text[lastSecretSymbol] = symbol
            XCTAssertThrowsError(try APIToken(parsing: String(decoding: text, as: UTF8.self), hashes: hashes))
        }
    }

    func testNoDescriptionShowsTheSecret() {
        let text = token.text
        let secretPart = String(text.dropFirst(7 + 16 + 1))
        var dumped = ""
        dump(token, to: &dumped)
        let shown = [String(describing: token), String(reflecting: token), "\(token)", dumped, "\([token])"]
        for description in shown {
            XCTAssertFalse(description.contains(secretPart.prefix(12)), description)
            XCTAssertFalse(description.contains(String(secret.hexString.prefix(12))), description)
        }
        XCTAssertTrue(String(describing: token).contains(token.keyID))
    }

    func testErrorDescriptionsDoNotQuoteTheToken() {
        var typo = Array(token.text.utf8)
        typo[40] = typo[40] == UInt8(ascii: "a") ? UInt8(ascii: "b") : UInt8(ascii: "a")
        for input in [String(decoding: typo, as: UTF8.self), String(token.text.dropLast())] {
            do {
                _ = try APIToken(parsing: input, hashes: hashes)
                XCTFail("parsed")
            } catch {
                XCTAssertFalse(error.description.contains(String(input.dropFirst(23).prefix(12))), error.description)
                XCTAssertFalse(error.description.contains(token.keyID), error.description)
            }
        }
    }

    func testRotationKeepsTheKeyIDAndRefusesAForeignOne() throws {
        let rotated = try APIToken(keyID: token.keyID, secret: secret.reversed(), hashes: hashes)
        XCTAssertEqual(try APIToken(parsing: rotated.text, hashes: hashes).keyID, token.keyID)
        XCTAssertThrowsError(try APIToken(keyID: "NOT-A-KEY-ID-XYZ", secret: secret, hashes: hashes))
        XCTAssertThrowsError(try APIToken(keyID: token.keyID, secret: [1, 2, 3], hashes: hashes))
    }
}
