import FramesCore
import FrameStore
import PNGEncoder
import PostgresClient
import ProcessSupport

/// Routes one request and writes its response. Every failure becomes a `RequestError`, whose single
/// mapping decides the status: nothing a client sends reaches SQL unparameterized or crashes a worker.
final class RequestHandler {
    let database: DatabaseSession
    let colormaps: ColormapRegistry
    let cacheMaxAge: Int
    let pngLevel: Int32

    /// Renderers of recently used palettes: building one encodes all 256 colors, and most requests
    /// use one of a few maps. A cache of a pure function of the palette, not state.
    private var renderers: [[UInt8]: FrameRenderer] = [:]

    init(database: DatabaseSession, colormaps: ColormapRegistry, cacheMaxAge: Int, pngLevel: Int32) {
        self.database = database
        self.colormaps = colormaps
        self.cacheMaxAge = cacheMaxAge
        self.pngLevel = pngLevel
    }

    func handle(_ request: IncomingRequest, sink: ResponseSink) -> RequestSummary {
        let route: Route
        do {
            route = try Route(method: request.method, uri: request.path)
        } catch {
            return respond(error: error, route: "unknown", request: request, sink: sink)
        }
        do {
            switch route {
            case .frames:
                return try FramesEndpoint(handler: self, request: request).respond(sink: sink)
            default:
                let body = try document(for: route, request: request)
                var head = ResponseHead(contentType: "application/json", contentLength: body.bytes.count)
                head.status = body.status
                head.add("Cache-Control", "no-store")
                send(head, body.bytes, request: request, sink: sink)
                return RequestSummary(route: route.rawValue, status: head.status.code, bytes: body.bytes.count)
            }
        } catch {
            return respond(error: error, route: route.rawValue, request: request, sink: sink)
        }
    }

    func renderer(for palette: [UInt8]) -> FrameRenderer {
        if let known = renderers[palette] { return known }
        if renderers.count >= 64 { renderers.removeAll(keepingCapacity: true) }
        let renderer = FrameRenderer(palette: palette)
        renderers[palette] = renderer
        return renderer
    }

    private func document(for route: Route, request: IncomingRequest) throws(RequestError) -> (status: HTTPStatus, bytes: [UInt8]) {
        try rejectParameters(request)
        switch route {
        case .health:
            return (.ok, ServiceDocuments.health(timestamp: Clock.rfc3339()))
        case .ready:
            let state = database.readiness()
            return (state.connected && state.tablesExist ? .ok : .serviceUnavailable,
                    ServiceDocuments.readiness(timestamp: Clock.rfc3339(), connected: state.connected,
                                               tablesExist: state.tablesExist))
        case .datasets:
            return (.ok, ServiceDocuments.datasets(try database.run { reader throws(PostgresError) in try reader.datasets() }))
        case .colormaps:
            return (.ok, ServiceDocuments.colormaps(colormaps.names, defaultName: ColormapRegistry.defaultName))
        case .root, .frames:
            return (.ok, ServiceDocuments.index())
        }
    }

    private func rejectParameters(_ request: IncomingRequest) throws(RequestError) {
        let names = try QueryString.decode(request.query).map(\.name)
        if !names.isEmpty { throw .unknownParameters(names: names, allowed: []) }
    }

    func send(_ head: ResponseHead, _ body: [UInt8], request: IncomingRequest, sink: ResponseSink) {
        sink.write(head.bytes)
        if request.method != "HEAD" { sink.write(body) }
    }

    func respond(error: RequestError, route: String, request: IncomingRequest, sink: ResponseSink) -> RequestSummary {
        if case .internalError(let reason) = error {
            Log.error("request failed", ["path": .string(request.path), "reason": .string(reason),
                                         "request_id": .string(request.requestID ?? "")])
        }
        let response = error.response
        send(response.head, response.body, request: request, sink: sink)
        return RequestSummary(route: route, status: response.head.status.code, bytes: response.body.count)
    }
}
