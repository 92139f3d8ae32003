@testable import FastCGICommand
import Digests
import FramesCore
import XCTest

/// `FRAMES_AUTH=required`: who is let in, what a key may read, and how its answers are cached.
final class AuthTests: XCTestCase {
    private func web() -> WebLayer {
        let web = WebLayer()
        web.authRequired = true
        web.data.add("well", frames: frames(count: 3))
        web.data.add("core", frames: frames(count: 2))
        return web
    }

    private func bearer(_ token: APIToken) -> [String: String] { ["Authorization": "Bearer " + token.text] }

    func testNoTokenIs401WithAChallenge() {
        let answer = web().get("/datasets")
        XCTAssertEqual(answer.status, 401)
        XCTAssertEqual(answer.header("WWW-Authenticate"), #"Bearer realm="frames""#)
        XCTAssertEqual(answer.summary.outcome, .unauthorized)
    }

    func testAMalformedTokenIsRefusedWithoutALookup() {
        let web = web()
        XCTAssertEqual(web.get("/datasets", headers: ["Authorization": "Bearer frames_nonsense"]).status, 401)
        XCTAssertEqual(web.keys.lookups, 0)
    }

    func testAValidKeyIsLetInAndNamedInTheSummary() {
        let web = web()
        let token = web.keys.make(name: "viewer")
        let answer = web.get("/datasets", headers: bearer(token))
        XCTAssertEqual(answer.status, 200)
        XCTAssertEqual(answer.summary.keyName, "viewer")
        XCTAssertEqual(web.keys.usesRecorded, 1)
    }

    func testAWrongSecretForARealKeyIs401() {
        let web = web()
        let token = web.keys.make(name: "viewer")
        let forged = try! APIToken(keyID: token.keyID, secret: [UInt8](repeating: 99, count: APIToken.secretByteCount),
                                hashes: SystemHashes())
        XCTAssertEqual(forged.keyID, token.keyID)
        XCTAssertEqual(web.get("/datasets", headers: bearer(forged)).status, 401)
    }

    func testARevokedKeyIs401() {
        let web = web()
        let token = web.keys.make(name: "old", revoked: true)
        XCTAssertEqual(web.get("/datasets", headers: bearer(token)).status, 401)
    }

    func testHealthReadyAndTheIndexNeedNoKey() {
        let web = web()
        XCTAssertEqual(web.get("/health").status, 200)
        XCTAssertEqual(web.get("/ready").status, 200)
        XCTAssertEqual(web.get("/").status, 200)
        XCTAssertEqual(web.get("/colormaps").status, 401)
    }

    func testTheBrowsersPreflightNeedsNoKey() {
        let web = web()
        web.crossOrigin = CrossOriginPolicy(allowed: .everyone)
        let answer = web.request("OPTIONS", "/frames", headers: ["Origin": "https://viewer.example"])
        XCTAssertEqual(answer.status, 204)
        XCTAssertEqual(answer.header("Access-Control-Allow-Headers"), CrossOriginPolicy.allowedRequestHeaders)
    }

    func testAnswersToAKeyAreKeptPrivate() {
        let web = web()
        let token = web.keys.make(name: "viewer")
        let answer = web.get("/frames?dataset=well&depth_min=100&depth_max=101", headers: bearer(token))
        XCTAssertEqual(answer.header("Cache-Control"), "private, max-age=60")
        XCTAssertEqual(answer.header("Vary"), "Accept, Authorization")
    }

    func testAScopedKeySeesOnlyItsDatasets() throws {
        let web = web()
        let token = web.keys.make(name: "partner", datasets: ["core"])
        let listed = try XCTUnwrap(web.get("/datasets", headers: bearer(token)).json as? [[String: Any]])
        XCTAssertEqual(listed.compactMap { $0["name"] as? String }, ["core"])
        XCTAssertEqual(web.get("/frames?dataset=core&depth_min=100&depth_max=101", headers: bearer(token)).status, 200)
        let outside = web.get("/frames?dataset=well&depth_min=100&depth_max=101", headers: bearer(token))
        XCTAssertEqual(outside.status, 403)
        XCTAssertEqual(outside.detail, "this API key does not cover the dataset 'well'")
        XCTAssertEqual(web.get("/datasets/well/generations", headers: bearer(token)).status, 403)
        XCTAssertEqual(web.get("/datasets/nowhere", headers: bearer(token)).status, 403, "whether it exists or not")
    }

    func testAScopedKeyMustNameItsDatasetBeforeTheQueryIsChecked() {
        let web = web()
        let token = web.keys.make(name: "partner", datasets: ["core"])
        assertProblem(web.get("/statistics", headers: bearer(token)), 400, "this API key covers only some datasets; name one with dataset=: core")
    }

    func testAKeysRateIsCharged() {
        let web = web()
        let token = web.keys.make(name: "busy", rate: 0.001, burst: 2)
        XCTAssertEqual(web.get("/datasets", headers: bearer(token)).status, 200)
        XCTAssertEqual(web.get("/datasets", headers: bearer(token)).status, 200)
        let refused = web.get("/datasets", headers: bearer(token))
        XCTAssertEqual(refused.status, 429)
        XCTAssertNotNil(refused.header("Retry-After"))
        XCTAssertEqual(refused.summary.keyName, "busy", "the log names the key of a 429 too")
    }

    func testAKeyLookedUpOnceIsRemembered() {
        let web = web()
        let token = web.keys.make(name: "viewer")
        for _ in 0..<3 { _ = web.get("/datasets", headers: bearer(token)) }
        XCTAssertEqual(web.keys.lookups, 1)
    }
}
