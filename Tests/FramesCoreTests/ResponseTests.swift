import XCTest
import Digests
@testable import FramesCore

final class ResponseTests: XCTestCase {
    private let tag = EntityTag(dataset: "well", generation: 3, canonicalQuery: "depth_min=1&depth_max=2", hashes: SystemHashes())

    private func headText(_ response: Response) -> String {
        String(decoding: response.head.bytes, as: UTF8.self)
    }

    func testWholeBodyCarriesItsLengthCacheHeadersThenItsOwn() {
        let representation = Representation(contentType: "image/png", fields: [HTTPField("X-Frame-Count", "2")],
                                             caching: .validated(tag, maxAge: 60, variesWithAccept: true), frames: 2)
        let response = Response.whole(representation, body: [1, 2, 3])
        XCTAssertEqual(headText(response),
                       "Status: 200 OK\r\nContent-Type: image/png\r\nContent-Length: 3\r\n"
                       + "ETag: \(tag.headerValue)\r\nCache-Control: public, max-age=60\r\nVary: Accept\r\n"
                       + "X-Frame-Count: 2\r\n\r\n")
        XCTAssertEqual(response.body, [1, 2, 3])
        XCTAssertEqual(response.frames, 2)
    }

    func testAnExplicitFormatDoesNotVary() {
        let fields = Caching.validated(tag, maxAge: 5, variesWithAccept: false).fields
        XCTAssertEqual(fields.map(\.name), ["ETag", "Cache-Control"])
    }

    func testNotModifiedRepeatsTheValidatorsAndNothingElse() {
        let caching = Caching.validated(tag, maxAge: 60, variesWithAccept: true)
        let whole = Response.whole(Representation(contentType: "application/json", caching: caching), body: [0])
        let unchanged = Response.notModified(caching)
        XCTAssertEqual(unchanged.head.status, .notModified)
        for name in ["ETag", "Cache-Control", "Vary"] {
            XCTAssertEqual(unchanged.head.value(of: name), whole.head.value(of: name), name)
        }
        XCTAssertNil(unchanged.head.value(of: "Content-Type"))
        XCTAssertNil(unchanged.head.value(of: "Content-Length"))
        XCTAssertEqual(unchanged.body, [])
    }

    func testNoContentHasNoLength() {
        let representation = Representation(status: .noContent, contentType: "image/png", caching: .noStore)
        XCTAssertNil(Response.whole(representation, body: []).head.value(of: "Content-Length"))
    }

    func testStreamHasNoLengthAndIsNotBufferedByNginx() throws {
        var rows = ["a\n", "b\n"][...]
        let response = Response.stream(Representation(contentType: "application/x-ndjson", caching: .noStore)) { out in
            guard let row = rows.popFirst() else { return false }
            out.append(contentsOf: row.utf8)
            return true
        }
        XCTAssertNil(response.head.value(of: "Content-Length"))
        XCTAssertEqual(response.head.value(of: "X-Accel-Buffering"), "no")
        guard case .stream(_, let produce) = response else { return XCTFail("not a stream") }
        var out: [UInt8] = []
        while try produce(&out) {}
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "a\nb\n")
    }

    func testFailureIsAProblemThatNoCacheKeeps() {
        let response = Response.failure(.databaseUnavailable(retryAfterSeconds: 5))
        XCTAssertEqual(headText(response),
                       "Status: 503 Service Unavailable\r\nContent-Type: application/problem+json\r\n"
                       + "Content-Length: \(response.body.count)\r\nCache-Control: no-store\r\nRetry-After: 5\r\n\r\n")
        XCTAssertEqual(response.body, RequestError.databaseUnavailable(retryAfterSeconds: 5).problem.jsonBody)
    }

    func testEveryErrorStatusReachesTheHead() {
        for error: RequestError in [.badParameter(name: "x", detail: "x"), .unknownPath("/x"),
                                    .methodNotAllowed(method: "PUT"), .internalError(reason: "x")] {
            XCTAssertEqual(Response.failure(error).head.status, error.problem.status)
        }
    }
}

extension ResponseHead {
    /// A header's value, as a client would look it up (names are case-insensitive).
    func value(of name: String) -> String? {
        fields.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}
