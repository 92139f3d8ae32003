import Digests
import Foundation
import XCTest

/// libcrypto's SHA-256 and zlib's CRC-32 as the service calls them: FIPS 180-4's examples, inputs at
/// and around the padding boundaries checked against `sha256sum`, streaming in uneven pieces, and the
/// CRC's standard check value.
final class DigestsTests: XCTestCase {
    func testKnownDigests() {
        let cases: [(String, String)] = [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
             "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ]
        for (text, digest) in cases {
            XCTAssertEqual(SHA256.hash(Array(text.utf8)).hexString, digest, text)
        }
    }

    func testPaddingBoundariesMatchSha256sum() throws {
        for count in [55, 56, 63, 64, 65, 1000] {
            let input = [UInt8](repeating: UInt8(ascii: "a"), count: count)
            let expected = try sha256sum(input)
            XCTAssertEqual(SHA256.hash(input).hexString, expected, "\(count) bytes")
        }
    }

    func testStreamingInUnevenPiecesEqualsOneShot() {
        let input = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        var hasher = SHA256()
        var start = 0
        for size in [1, 63, 64, 65, 1000, 7] where start < input.count {
            hasher.update(input[start..<min(input.count, start + size)])
            start += size
        }
        hasher.update(input[start...])
        let digest = hasher.finalize()
        XCTAssertEqual(digest, SHA256.hash(input))
    }

    func testStreamingFromRawBuffersAndEmptyPiecesEqualsOneShot() {
        let input = Array("the quick brown fox jumps over the lazy dog".utf8)
        var hasher = SHA256()
        input.withUnsafeBytes { bytes in
            hasher.update(UnsafeRawBufferPointer(rebasing: bytes[0..<10]))
            hasher.update(UnsafeRawBufferPointer(rebasing: bytes[10..<10]))
            hasher.update(UnsafeRawBufferPointer(rebasing: bytes[10...]))
        }
        let digest = hasher.finalize()
        XCTAssertEqual(digest, SHA256.hash(input))
    }

    func testCRC32MatchesTheStandardCheckValue() {
        XCTAssertEqual(CRC32.checksum(Array("123456789".utf8)), 0xCBF4_3926)
        XCTAssertEqual(CRC32.checksum([]), 0)
    }

    private func sha256sum(_ input: [UInt8]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        stdin.fileHandleForWriting.write(Data(input))
        try stdin.fileHandleForWriting.close()
        process.waitUntilExit()
        let text = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return String(text.prefix(64))
    }
}
