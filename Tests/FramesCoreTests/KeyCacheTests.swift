import FramesCore
import XCTest

/// A worker's key cache: trusted for its lifetime only, bounded, and unknown ids go before real keys.
final class KeyCacheTests: XCTestCase {
    private func key(_ id: String) -> KeyCredentials {
        KeyCredentials(name: "key-\(id)", keyID: id, secretHash: [1, 2, 3])
    }

    func testAnEntryIsTrustedForItsLifetimeOnly() {
        var cache = KeyCache(lifetime: 30)
        XCTAssertEqual(cache.lookup(keyID: "a", now: 100), .none, "ask the database")
        cache.store(key("a"), keyID: "a", now: 100)
        XCTAssertEqual(cache.lookup(keyID: "a", now: 129.9), .some(key("a")))
        XCTAssertEqual(cache.lookup(keyID: "a", now: 130), .none)
    }

    func testAnIdWithNoKeyIsRememberedAsSuch() {
        var cache = KeyCache(lifetime: 30)
        cache.store(nil, keyID: "forged", now: 0)
        XCTAssertEqual(cache.lookup(keyID: "forged", now: 10), .some(nil), "known to have no key")
        XCTAssertEqual(cache.lookup(keyID: "forged", now: 31), .none)
    }

    func testAFloodOfForgedIdsDoesNotPushRealKeysOut() {
        var cache = KeyCache(lifetime: 30, capacity: 4)
        cache.store(key("a"), keyID: "a", now: 0)
        cache.store(key("b"), keyID: "b", now: 0)
        for index in 0..<100 { cache.store(nil, keyID: "forged\(index)", now: 1) }
        XCTAssertLessThanOrEqual(cache.count, 4)
        XCTAssertEqual(cache.lookup(keyID: "a", now: 2), .some(key("a")))
        XCTAssertEqual(cache.lookup(keyID: "b", now: 2), .some(key("b")))
    }

    func testStaleEntriesMakeRoomFirstAndTheSizeStaysBounded() {
        var cache = KeyCache(lifetime: 30, capacity: 3)
        for id in ["a", "b", "c"] { cache.store(key(id), keyID: id, now: 0) }
        cache.store(key("d"), keyID: "d", now: 40)
        XCTAssertEqual(cache.count, 1)
        for id in ["e", "f", "g", "h"] { cache.store(key(id), keyID: id, now: 41) }
        XCTAssertLessThanOrEqual(cache.count, 3)
        XCTAssertEqual(cache.lookup(keyID: "h", now: 42), .some(key("h")))
    }
}
