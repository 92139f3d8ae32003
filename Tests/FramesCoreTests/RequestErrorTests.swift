import Foundation
import XCTest
import Digests
@testable import FramesCore

final class RequestErrorTests: XCTestCase {
    private func body(of error: RequestError) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(error.problem.jsonBody))
        return try XCTUnwrap(object as? [String: Any])
    }

    private func headText(_ head: ResponseHead) -> String {
        String(decoding: head.bytes, as: UTF8.self)
    }

    // MARK: - Mapping

    func testStatusOfEveryError() {
        let cases: [(RequestError, Int)] = [
            (.badParameter(name: "limit", detail: "x"), 400),
            (.unknownParameters(names: ["a"], allowed: []), 400),
            (.repeatedParameter(name: "a"), 400),
            (.malformedQuery(detail: "x"), 400),
            (.unknownPath("/x"), 404),
            (.unknownDataset("d"), 404),
            (.methodNotAllowed(method: "POST"), 405),
            (.databaseUnavailable(retryAfterSeconds: 5), 503),
            (.streamsBusy(limit: 2, retryAfterSeconds: 1), 503),
            (.internalError(reason: "x"), 500),
            (.unauthorized(reason: "no API token"), 401),
            (.forbidden(dataset: "d"), 403),
            (.tokenInQuery(parameter: "token"), 400),
            (.rateLimited(limit: RateLimit(rate: 1, burst: 5), retryAfterSeconds: 1), 429),
        ]
        for (error, status) in cases {
            XCTAssertEqual(error.problem.status.code, status, "\(error)")
        }
    }

    func testEveryUnauthorizedAnswerNamesTheBearerRealm() {
        let head = Response.failure(.unauthorized(reason: "the API key was revoked")).head
        XCTAssertTrue(head.fields.contains(HTTPField("WWW-Authenticate", #"Bearer realm="frames""#)))
        XCTAssertTrue(head.fields.contains(HTTPField("Cache-Control", "no-store")))
        XCTAssertFalse(Response.failure(.forbidden(dataset: "d")).head.fields.contains { $0.name == "WWW-Authenticate" })
    }

    func testKeyedAnswersArePrivateAndVaryWithAuthorization() {
        let tag = EntityTag(dataset: "d", generation: 3, canonicalQuery: "q", hashes: SystemHashes())
        let shared = Caching.validated(tag, maxAge: 60, variesWithAccept: true)
        XCTAssertEqual(shared.keptPrivate.fields, [HTTPField("ETag", tag.headerValue),
                                                   HTTPField("Cache-Control", "private, max-age=60"),
                                                   HTTPField("Vary", "Accept, Authorization")])
        XCTAssertEqual(Caching.validated(tag, maxAge: 5, variesWithAccept: false).keptPrivate.fields.last,
                       HTTPField("Vary", "Authorization"))
        XCTAssertEqual(Caching.noStore.keptPrivate, .noStore)
        let head = Response.notModified(shared).keptPrivate.head
        XCTAssertTrue(head.fields.contains(HTTPField("Cache-Control", "private, max-age=60")))
    }

    func testProblemBodyHasTheFourMembersInOrder() throws {
        let error = RequestError.badParameter(name: "depth_min", detail: "depth_min is required")
        XCTAssertEqual(String(decoding: error.problem.jsonBody, as: UTF8.self),
                       #"{"type":"about:blank","title":"Bad Request","status":400,"detail":"depth_min is required"}"#)
    }

    func testDetailsNameTheCulprit() throws {
        XCTAssertEqual(try body(of: .unknownParameters(names: ["depthmin", "x"], allowed: ["depth_min"]))["detail"] as? String,
                       "unknown parameters 'depthmin', 'x'; known parameters: depth_min")
        XCTAssertTrue((try body(of: .repeatedParameter(name: "limit"))["detail"] as? String ?? "").contains("'limit'"))
        XCTAssertTrue((try body(of: .unknownDataset("well-9"))["detail"] as? String ?? "").contains("'well-9'"))
        XCTAssertTrue((try body(of: .unknownPath("/nope"))["detail"] as? String ?? "").contains("'/nope'"))
    }

    func testDetailIsEscaped() throws {
        let detail = "bad \"value\"\n\\ \u{1}"
        let parsed = try body(of: .badParameter(name: "x", detail: detail))
        XCTAssertEqual(parsed["detail"] as? String, detail)
        XCTAssertEqual(parsed["status"] as? Int, 400)
        XCTAssertEqual(parsed["title"] as? String, "Bad Request")
        XCTAssertEqual(parsed["type"] as? String, "about:blank")
    }

    func testInternalReasonIsNotShownToClients() throws {
        let parsed = try body(of: .internalError(reason: "connection to 10.0.0.5 refused"))
        XCTAssertFalse((parsed["detail"] as? String ?? "").contains("10.0.0.5"))
        XCTAssertEqual(parsed["title"] as? String, "Internal Server Error")
    }

    func testExtraHeaders() {
        XCTAssertEqual(RequestError.methodNotAllowed(method: "DELETE").problem.extraFields,
                       [HTTPField("Allow", "GET, HEAD, OPTIONS")])
        XCTAssertEqual(RequestError.databaseUnavailable(retryAfterSeconds: 7).problem.extraFields,
                       [HTTPField("Retry-After", "7")])
        XCTAssertEqual(RequestError.streamsBusy(limit: 2, retryAfterSeconds: 3).problem.extraFields,
                       [HTTPField("Retry-After", "3")])
        XCTAssertEqual(RequestError.unknownPath("/").problem.extraFields, [])
        let limited = RequestError.rateLimited(limit: RateLimit(rate: 2.5, burst: 5), retryAfterSeconds: 3).problem
        XCTAssertEqual(limited.extraFields, [HTTPField("Retry-After", "3")])
        XCTAssertEqual(limited.detail, "this API key is limited to 2.5/s in bursts of up to 5; retry in 3 s")
    }

    // MARK: - Response head

    func testResponseHeadBytes() {
        XCTAssertEqual(headText(ResponseHead(status: .notModified, fields: [HTTPField("ETag", #""g1-abc""#)])),
                       "Status: 304 Not Modified\r\nETag: \"g1-abc\"\r\n\r\n")
    }

    func testResponseHeadCannotBeSplitByInjectedLineBreaks() {
        var head = ResponseHead(status: .ok)
        head.add("X-Dataset", "evil\r\nSet-Cookie: a=b")
        let text = headText(head)
        XCTAssertEqual(text, "Status: 200 OK\r\nX-Dataset: evil  Set-Cookie: a=b\r\n\r\n")
    }

    // MARK: - Routes

    func testKnownRoutes() throws {
        XCTAssertEqual(try Route(method: "GET", uri: "/"), .root)
        XCTAssertEqual(try Route(method: "HEAD", uri: "/health"), .health)
        XCTAssertEqual(try Route(method: "GET", uri: "/ready"), .ready)
        XCTAssertEqual(try Route(method: "GET", uri: "/frames?depth_min=1&x=/datasets"), .frames)
        XCTAssertEqual(try Route(method: "GET", uri: "/colormaps?"), .colormaps)
        XCTAssertEqual(try Route(method: "HEAD", uri: "/datasets"), .datasets)
    }

    func testUnknownPathIsNotFoundWhateverTheMethod() {
        for (method, uri) in [("GET", "/metrics"), ("POST", "/nope"), ("GET", "/frames/"), ("GET", ""),
                              ("GET", "/Frames")] {
            XCTAssertThrowsError(try Route(method: method, uri: uri)) { error in
                XCTAssertEqual(error as? RequestError, .unknownPath(uri.isEmpty ? "" : String(uri.split(separator: "?")[0])))
            }
        }
    }

    func testOptionsResolvesKnownPathsForThePreflight() throws {
        XCTAssertEqual(try Route(method: "OPTIONS", uri: "/frames?dataset=a"), .frames)
        XCTAssertThrowsError(try Route(method: "OPTIONS", uri: "/nope")) { error in
            XCTAssertEqual(error as? RequestError, .unknownPath("/nope"))
        }
    }

    func testOtherMethodsOnKnownPathsAreNotAllowed() {
        for method in ["POST", "PUT", "DELETE", "PATCH", "options", "get"] {
            XCTAssertThrowsError(try Route(method: method, uri: "/frames?depth_min=1")) { error in
                XCTAssertEqual(error as? RequestError, .methodNotAllowed(method: method))
            }
        }
    }
}
