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
    /// nil when `FRAMES_AUTH=off`.
    private let authenticator: KeyAuthenticator?
    private let crossOrigin: CrossOriginPolicy
    private let streamSeconds: Double

    init(database: DatabaseSession, colormaps: ColormapRegistry, cacheMaxAge: Int, pngLevel: Int32,
         streams: StreamPlaces, streamSeconds: Double, authenticator: KeyAuthenticator?,
         crossOrigin: CrossOriginPolicy) throws(GzipError) {
        self.database = database
        self.streamSeconds = streamSeconds
        self.authenticator = authenticator
        self.crossOrigin = crossOrigin
        self.colormaps = colormaps
        let settings = FramesSettings(cacheMaxAge: cacheMaxAge, pngLevel: pngLevel)
        frames = FramesEndpoint(database: database, colormaps: colormaps, renderers: RendererCache(), settings: settings,
                                streams: streams)
        statistics = StatisticsEndpoint(database: database, cacheMaxAge: cacheMaxAge, decompressor: try GzipDecompressor())
        colorBars = ColorBarEndpoint(colormaps: colormaps, settings: settings)
        history = DatasetHistoryEndpoint(database: database, cacheMaxAge: cacheMaxAge)
    }

    func handle(_ request: IncomingRequest, sink: ResponseSink) -> RequestSummary {
        var route: Route?
        var key: KeyCredentials?
        var failure: RequestError?
        let response: Response
        do throws(RequestError) {
            let resolved = try Route(method: request.method, uri: request.path)
            route = resolved
            let parameters = try QueryString.decode(request.query)
            // In every mode: a token in a URL is already in some access log, and should be revoked.
            if let leaked = parameters.first(where: { Self.tokenParameters.contains($0.name) }) {
                throw .tokenInQuery(parameter: leaked.name)
            }
            if request.method == "OPTIONS" {
                // A browser's preflight: it never carries a key, and its answer depends on the origin alone.
                response = crossOrigin.preflight(origin: request.origin)
            } else if let authenticator, resolved != .health, resolved != .ready {
                let verified = try authenticator.authenticate(request)
                key = verified  // from here on, the log names the key, a 429 included
                try authenticator.charge(verified)
                try Self.checkScope(of: verified, resolved, parameters, path: request.path)
                response = try answer(resolved, request, key: verified).keptPrivate
            } else {
                response = try answer(resolved, request, key: nil)
            }
        } catch {
            if case .internalError(let reason) = error {
                Log.error("request failed", ["path": .string(request.path), "reason": .string(reason),
                                             "request_id": .string(request.requestID ?? "")])
            }
            failure = error
            response = .failure(error)
        }
        var summary = ResponseWriter(sink: sink, crossOrigin: crossOrigin, streamSeconds: streamSeconds)
            .send(response, for: request, route: route)
        summary.keyName = key?.name
        summary.outcome = RequestOutcome(failure)
        return summary
    }

    private static let tokenParameters: Set<String> = ["token", "api_key", "key"]

    /// A key limited to some datasets must name one of them: an unnamed request would be answered from
    /// whichever dataset is the only one, and a dataset outside the list is refused whether it exists or not.
    private static func checkScope(of key: KeyCredentials, _ route: Route, _ parameters: [QueryParameter],
                                   path: String) throws(RequestError) {
        // `/datasets/NAME…` names its dataset in the path.
        if let named = Route.datasetPath(path.split(separator: "?").first ?? "")?.name {
            if !key.allows(dataset: named) { throw .forbidden(dataset: named) }
            return
        }
        guard route == .frames || route == .statistics, let allowed = key.datasets else { return }
        let named = parameters.filter { $0.name == "dataset" }.map(\.value)
        if named.isEmpty {
            throw .badParameter(name: "dataset", detail: "this API key covers only some datasets; name one with dataset=: "
                                + allowed.joined(separator: ", "))
        }
        if let outside = named.first(where: { !key.allows(dataset: $0) }) { throw .forbidden(dataset: outside) }
    }

    private func answer(_ route: Route, _ request: IncomingRequest, key: KeyCredentials?) throws(RequestError) -> Response {
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
            let datasets = try database.run { reader throws(PostgresError) in try reader.datasets() }
            return document(ServiceDocuments.datasets(datasets.filter { key?.allows(dataset: $0.name) ?? true }))
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
