import FramesCore
import GzipCodec
import PostgresClient
import ProcessSupport

/// Routes one request to what answers it and hands the answer to the one writer. Every failure becomes
/// a `RequestError`, whose single mapping decides the status: nothing a client sends reaches SQL
/// unparameterized or crashes a worker.
final class RequestHandler {
    private let database: DatabaseSession
    private let colormaps: ColormapRegistry
    private let frames: FramesEndpoint
    private let statistics: StatisticsEndpoint
    private let colorBars: ColorBarEndpoint
    private let history: DatasetHistoryEndpoint

    init(database: DatabaseSession, colormaps: ColormapRegistry, cacheMaxAge: Int, pngLevel: Int32) throws(GzipError) {
        self.database = database
        self.colormaps = colormaps
        let settings = FramesSettings(cacheMaxAge: cacheMaxAge, pngLevel: pngLevel)
        frames = FramesEndpoint(database: database, colormaps: colormaps, renderers: RendererCache(), settings: settings)
        statistics = StatisticsEndpoint(database: database, cacheMaxAge: cacheMaxAge, decompressor: try GzipDecompressor())
        colorBars = ColorBarEndpoint(colormaps: colormaps, settings: settings)
        history = DatasetHistoryEndpoint(database: database, cacheMaxAge: cacheMaxAge)
    }

    func handle(_ request: IncomingRequest, sink: ResponseSink) -> RequestSummary {
        var route: Route?
        let response: Response
        do throws(RequestError) {
            let resolved = try Route(method: request.method, uri: request.path)
            route = resolved
            response = try answer(resolved, request)
        } catch {
            if case .internalError(let reason) = error {
                Log.error("request failed", ["path": .string(request.path), "reason": .string(reason),
                                             "request_id": .string(request.requestID ?? "")])
            }
            response = .failure(error)
        }
        return ResponseWriter(sink: sink).send(response, for: request, route: route)
    }

    private func answer(_ route: Route, _ request: IncomingRequest) throws(RequestError) -> Response {
        switch route {
        case .frames: return try frames.respond(to: request)
        case .statistics: return try statistics.respond(to: request)
        case .colorBar: return try colorBars.respond(to: request)
        case .dataset, .generations, .changes: return try history.respond(to: request, route: route)
        default: break
        }
        let names = try QueryString.decode(request.query).map(\.name)
        if !names.isEmpty { throw .unknownParameters(names: names, allowed: []) }
        switch route {
        case .health:
            return document(ServiceDocuments.health(timestamp: Clock.rfc3339()))
        case .ready:
            let state = database.readiness()
            return document(ServiceDocuments.readiness(timestamp: Clock.rfc3339(), connected: state.connected,
                                                       tablesExist: state.tablesExist),
                            status: state.connected && state.tablesExist ? .ok : .serviceUnavailable)
        case .datasets:
            return document(ServiceDocuments.datasets(try database.run { reader throws(PostgresError) in try reader.datasets() }))
        case .colormaps:
            return document(ServiceDocuments.colormaps(colormaps.names, defaultName: ColormapRegistry.defaultName))
        case .root, .frames, .statistics, .colorBar, .dataset, .generations, .changes:
            return document(ServiceDocuments.index())
        }
    }

    /// The informational documents describe a moment of the server: never cached.
    private func document(_ body: [UInt8], status: HTTPStatus = .ok) -> Response {
        .whole(Representation(status: status, contentType: "application/json", caching: .noStore), body: body)
    }
}
