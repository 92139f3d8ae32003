@testable import FastCGICommand
import Foundation
import FramesCore
import FrameStore
import XCTest

/// One answer as nginx would receive it: the status line, the headers and the body, parsed from the
/// bytes the handler wrote.
struct Answer {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8]
    var summary: RequestSummary
    var sink: RecordingSink

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    var text: String { String(decoding: body, as: UTF8.self) }

    var json: Any? { try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]) }

    /// The `detail` of a problem+json body.
    var detail: String? { (json as? [String: Any])?["detail"] as? String }

    /// The objects of an NDJSON body, one a line.
    var lines: [[String: Any]] {
        text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }
}

/// The web layer of one worker, wired to fakes: in-memory frames and keys, and stream slots of a pool.
final class WebLayer {
    let data = MemoryFrameData()
    let keys = MemoryKeys()
    let streams = CountingStreamSlots()
    var cacheMaxAge = 60
    var streamSeconds = 0.0
    var crossOrigin = CrossOriginPolicy.nobody
    var authRequired = false
    var rateDefaults = RateLimit.Defaults(rate: 0, burst: nil)
    private var built: RequestHandler?

    /// A web layer with one dataset, `well`, of `count` frames (generation 1).
    static func withWell(frames count: Int = 5) -> WebLayer {
        let web = WebLayer()
        web.data.add("well", frames: frames(count: count))
        return web
    }

    /// The handler, made at the first request with the settings then in force.
    var handler: RequestHandler {
        if let built { return built }
        let authenticator = authRequired
            ? KeyAuthenticator(keys: keys, cacheSeconds: 60, buckets: SharedKeyBuckets(stateDirectory: nil),
                               rateDefaults: rateDefaults)
            : nil
        let made = try! RequestHandler(data: data, colormaps: .builtin, cacheMaxAge: cacheMaxAge, pngLevel: 6,
                                       streams: streams, streamSeconds: streamSeconds, authenticator: authenticator,
                                       crossOrigin: crossOrigin)
        built = made
        return made
    }

    /// A request as nginx passes it: `target` is the path with its query.
    func request(_ method: String = "GET", _ target: String, headers: [String: String] = [:],
                 sink: RecordingSink = RecordingSink()) -> Answer {
        let path = String(target.prefix { $0 != "?" })
        let query = target.contains("?") ? String(target.drop { $0 != "?" }.dropFirst()) : ""
        var parameters = ["REQUEST_METHOD": method, "REQUEST_URI": target, "DOCUMENT_URI": path, "QUERY_STRING": query]
        for (name, value) in headers {
            parameters["HTTP_" + name.uppercased().replacingOccurrences(of: "-", with: "_")] = value
        }
        let summary = handler.handle(IncomingRequest(parameter: { parameters[$0] }), sink: sink)
        let answer = Self.parse(sink.bytes, summary: summary, sink: sink)
        // What the API's description lists for a route must hold every status a test sees it answer.
        if let template = summary.route?.template, !template.statuses.contains(where: { $0.code == answer.status }) {
            XCTFail("\(method) \(target) answered \(answer.status), not among the statuses of \(template.path)")
        }
        return answer
    }

    func get(_ target: String, headers: [String: String] = [:]) -> Answer {
        request("GET", target, headers: headers)
    }

    private static func parse(_ bytes: [UInt8], summary: RequestSummary, sink: RecordingSink) -> Answer {
        let separator = Array("\r\n\r\n".utf8)
        let end = (0...(bytes.count - separator.count)).first { Array(bytes[$0..<$0 + separator.count]) == separator }!
        let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        var headers: [(name: String, value: String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)))
        }
        let status = Int(headers.first { $0.name == "Status" }!.value.prefix(3))!
        return Answer(status: status, headers: headers.filter { $0.name != "Status" }, body: Array(bytes[(end + 4)...]),
                      summary: summary, sink: sink)
    }
}

/// Asserts a problem+json answer with this status and detail.
func assertProblem(_ answer: Answer, _ status: Int, _ detail: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(answer.status, status, file: file, line: line)
    XCTAssertEqual(answer.header("Content-Type"), "application/problem+json", file: file, line: line)
    XCTAssertEqual(answer.detail, detail, file: file, line: line)
}

/// A frame at `depth` whose resized pixels are `pixels`.
func frame(_ depth: Double, _ pixels: [UInt8]) -> StoredFrame {
    StoredFrame(depth: depth, statistics: RowStatistics(of: pixels), compressionRatioOriginal: 2,
                compressionRatioResized: 1.5, pixels: pixels)
}

/// `count` frames a metre apart from `start`, each row a ramp shifted by its index.
func frames(from start: Double = 100, count: Int, width: Int = 4) -> [StoredFrame] {
    (0..<count).map { index in
        frame(start + Double(index), (0..<width).map { UInt8(truncatingIfNeeded: index * 10 + $0 * 60) })
    }
}
