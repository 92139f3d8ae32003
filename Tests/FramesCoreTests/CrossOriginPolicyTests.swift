import XCTest
@testable import FramesCore

final class CrossOriginPolicyTests: XCTestCase {
    private let app = "https://app.example.org"

    private func head(_ policy: CrossOriginPolicy, origin: String?, vary: String? = nil) -> ResponseHead {
        var head = ResponseHead(status: .ok, fields: vary.map { [HTTPField("Vary", $0)] } ?? [])
        policy.apply(to: &head, origin: origin)
        return head
    }

    func testTheSettingTakesSpacesOrCommasAndWritesOriginsAsBrowsersDo() throws {
        let policy = try CrossOriginPolicy(setting: " HTTPS://App.Example.org:443,http://localhost:8080  http://[::1]:80 ")
        XCTAssertEqual(policy.allowed, .listed([app, "http://localhost:8080", "http://[::1]"]))
        XCTAssertEqual(try CrossOriginPolicy(setting: "").allowed, .nobody)
        XCTAssertEqual(try CrossOriginPolicy(setting: " , ").allowed, .nobody)
        XCTAssertEqual(try CrossOriginPolicy(setting: "*").allowed, .everyone)
    }

    func testEntriesThatNoBrowserWouldSendAreRefusedNamingThem() {
        let refused: [(String, String)] = [
            ("https://app.example.org/", "path"), ("https://app.example.org/view", "path"),
            ("app.example.org", "https://"), ("ftp://app.example.org", "https://"), ("null", "sandboxed"),
            ("* https://app.example.org", "every origin"), ("https://", "host"), ("https://a_b.org", "host"),
            ("https://app.example.org:0", "port"), ("https://app.example.org:http", "port"),
            ("https://user@app.example.org", "user"), ("https://app.example.org?x", "path"),
        ]
        for (entry, reason) in refused {
            XCTAssertThrowsError(try CrossOriginPolicy(setting: entry), entry) { error in
                let text = (error as? CrossOriginSettingError)?.description ?? ""
                XCTAssertTrue(text.contains(reason), "\(entry): \(text)")
            }
        }
    }

    func testAListedOriginIsEchoedWithTheReadableHeadersAndEveryAnswerVariesWithOrigin() throws {
        let policy = try CrossOriginPolicy(setting: app)
        let allowed = head(policy, origin: app, vary: "Authorization")
        XCTAssertEqual(allowed.value(of: "Access-Control-Allow-Origin"), app)
        XCTAssertEqual(allowed.value(of: "Vary"), "Authorization, Origin")
        XCTAssertEqual(allowed.fields.filter { $0.name == "Vary" }.count, 1)
        let exposed = allowed.value(of: "Access-Control-Expose-Headers") ?? ""
        for name in ["ETag", "X-Frame-Count", "X-Depth-Min", "X-Depth-Max", "Retry-After"] {
            XCTAssertTrue(exposed.contains(name), name)
        }
        for origin in ["https://evil.example.org", "https://app.example.org.evil.org", "HTTPS://APP.EXAMPLE.ORG", nil] {
            let other = head(policy, origin: origin)
            XCTAssertEqual(other.fields, [HTTPField("Vary", "Origin")], origin ?? "no Origin")
        }
    }

    func testEveryoneIsTheSameAnswerForAllAndNobodyAddsNothing() throws {
        for origin in [app, nil] {
            let open = head(CrossOriginPolicy(allowed: .everyone), origin: origin)
            XCTAssertEqual(open.value(of: "Access-Control-Allow-Origin"), "*")
            XCTAssertNil(open.value(of: "Vary"))
            XCTAssertEqual(head(.nobody, origin: origin).fields, [])
        }
    }

    func testAPreflightFromAListedOriginAllowsReadsWithAKeyForADay() throws {
        let policy = try CrossOriginPolicy(setting: app)
        let answer = policy.preflight(origin: app).head
        XCTAssertEqual(answer.status, .noContent)
        XCTAssertEqual(answer.value(of: "Access-Control-Allow-Methods"), "GET, HEAD")
        XCTAssertEqual(answer.value(of: "Access-Control-Allow-Headers"), "Authorization, If-None-Match")
        XCTAssertEqual(answer.value(of: "Access-Control-Max-Age"), "86400")
        XCTAssertNil(answer.value(of: "Content-Length"))
        for refused in [policy.preflight(origin: "https://evil.example.org"), policy.preflight(origin: nil),
                        CrossOriginPolicy.nobody.preflight(origin: app)] {
            XCTAssertEqual(refused.head.status, .noContent)
            XCTAssertEqual(refused.head.value(of: "Allow"), "GET, HEAD, OPTIONS")
            XCTAssertNil(refused.head.value(of: "Access-Control-Allow-Methods"))
        }
    }
}
