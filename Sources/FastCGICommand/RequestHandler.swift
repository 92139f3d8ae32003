import FramesCore
import GzipCodec
import ProcessSupport

/// Resolves one request once (its route with the path's parameters, its query decoded), decides
/// whether it may be answered, hands it to the endpoint that answers it, and the answer to the one
/// writer. Every failure becomes a `RequestError`, whose single mapping decides the status: nothing
/// a client sends reaches SQL unparameterized or crashes a worker.
final class RequestHandler {
    private let data: FrameData
    private let colormaps: ColormapRegistry
    private let frames: FramesEndpoint
    private let statistics: StatisticsEndpoint
    private let colorBars: ColorBarEndpoint
    private let history: DatasetHistoryEndpoint
    /// nil when `FRAMES_AUTH=off`.
    private let authenticator: KeyAuthenticator?
    private let crossOrigin: CrossOriginPolicy
    private let streamSeconds: Double

    init(data: FrameData, colormaps: ColormapRegistry, cacheMaxAge: Int, pngLevel: Int32,
         streams: StreamSlots, streamSeconds: Double, authenticator: KeyAuthenticator?,
         crossOrigin: CrossOriginPolicy) throws(GzipError) {
        self.data = data
        self.streamSeconds = streamSeconds
        self.authenticator = authenticator
        self.crossOrigin = crossOrigin
        self.colormaps = colormaps
        let settings = FramesSettings(cacheMaxAge: cacheMaxAge, pngLevel: pngLevel)
        frames = FramesEndpoint(data: data, colormaps: colormaps, renderers: RendererCache(), settings: settings,
                                streams: streams)
        statistics = StatisticsEndpoint(data: data, cacheMaxAge: cacheMaxAge, decompressor: try GzipDecompressor())
        colorBars = ColorBarEndpoint(colormaps: colormaps, settings: settings)
        history = DatasetHistoryEndpoint(data: data, cacheMaxAge: cacheMaxAge)
    }

    func handle(_ request: IncomingRequest, sink: ResponseSink) -> RequestSummary {
        var route: Route?
        var parameters: [QueryParameter] = []
        var key: KeyCredentials?
        var failure: RequestError?
        let response: Response
        do throws(RequestError) {
            let resolved = try Route(method: request.method, uri: request.path)
            route = resolved
            parameters = try QueryString.decode(request.query)
            // In every mode: a token in a URL is already in some access log, and should be revoked.
            if let leaked = parameters.first(where: { Self.tokenParameters.contains($0.name) }) {
                throw .tokenInQuery(parameter: leaked.name)
            }
            if request.method == "OPTIONS" {
                // A browser's preflight: it never carries a key, and its answer depends on the origin alone.
                response = crossOrigin.preflight(origin: request.origin)
            } else if let authenticator, resolved.template.needsKey {
                let verified = try authenticator.authenticate(authorization: request.authorization)
                key = verified  // from here on, the log names the key, a 429 included
                try authenticator.charge(verified)
                try Self.checkScope(of: verified, resolved, parameters)
                response = try answer(resolved, parameters, request, key: verified).keptPrivate
            } else {
                response = try answer(resolved, parameters, request, key: nil)
            }
        } catch {
            if case .internalError(let reason) = error {
                Log.error("request failed", ["path": .string(request.path), "reason": .string(reason),
                                             "request_id": .string(request.requestID ?? "")])
            }
            failure = error
            response = .failure(error)
        }
        let dataset = parameters.first { $0.name == "dataset" }?.value
        var summary = ResponseWriter(sink: sink, crossOrigin: crossOrigin, streamSeconds: streamSeconds)
            .send(response, for: request, route: route, dataset: dataset)
        summary.keyName = key?.name
        summary.outcome = RequestOutcome(failure)
        return summary
    }

    private static let tokenParameters: Set<String> = ["token", "api_key", "key"]

    /// A key limited to some datasets must name one of them: an unnamed request would be answered from
    /// whichever dataset is the only one, and a dataset outside the list is refused whether it exists or not.
    private static func checkScope(of key: KeyCredentials, _ route: Route, _ parameters: [QueryParameter]) throws(RequestError) {
        if let named = route.datasetInPath {
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

    /// Each route's query type parses the decoded parameters; the endpoint gets the typed values.
    private func answer(_ route: Route, _ parameters: [QueryParameter], _ request: IncomingRequest,
                        key: KeyCredentials?) throws(RequestError) -> Response {
        let condition = ConditionalRequest(ifNoneMatch: request.ifNoneMatch)
        switch route {
        case .frames:
            return try frames.respond(to: FrameQuery(parameters: parameters, accept: request.accept), condition)
        case .statistics:
            return try statistics.respond(to: StatisticsQuery(parameters: parameters), condition)
        case .colorBar(let name):
            return try colorBars.respond(name: name, to: ColorBarQuery(parameters: parameters), condition)
        case .dataset(let name):
            return try history.dataset(name, DatasetQuery(parameters: parameters), condition)
        case .generations(let name):
            _ = try EmptyQuery(parameters: parameters)
            return try history.generations(name, condition)
        case .changes(let name):
            return try history.changes(name, ChangesQuery(parameters: parameters), condition)
        case .root, .health, .ready, .datasets, .colormaps:
            _ = try EmptyQuery(parameters: parameters)
            return try document(route, key: key)
        }
    }

    /// The informational documents describe a moment of the server: never cached.
    private func document(_ route: Route, key: KeyCredentials?) throws(RequestError) -> Response {
        var status = HTTPStatus.ok
        let body: [UInt8]
        switch route {
        case .health:
            body = ServiceDocuments.health(timestamp: Clock.rfc3339())
        case .ready:
            let state = data.readiness()
            body = ServiceDocuments.readiness(timestamp: Clock.rfc3339(), connected: state.connected,
                                              tablesExist: state.tablesExist)
            if !(state.connected && state.tablesExist) { status = .serviceUnavailable }
        case .datasets:
            body = ServiceDocuments.datasets(try data.datasets().filter { key?.allows(dataset: $0.name) ?? true })
        case .colormaps:
            body = ServiceDocuments.colormaps(colormaps.names, defaultName: ColormapRegistry.defaultName)
        default:
            body = ServiceDocuments.index(version: FramesVersion.string)
        }
        return .whole(Representation(status: status, contentType: "application/json", caching: .noStore), body: body)
    }
}
