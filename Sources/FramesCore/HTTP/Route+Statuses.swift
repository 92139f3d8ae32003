extension Route.Template {
    /// What the browser's preflight (`OPTIONS`) on any path gets: 204, with or without CORS headers.
    public static let preflightStatuses: [HTTPStatus] = [.noContent]

    /// Every status a GET or HEAD on this path can have, for the API's description: the web layer's
    /// tests check each answer they make against it. A 404 for an unknown path and a 405 for another
    /// method belong to no route and are not listed here.
    public var statuses: [HTTPStatus] {
        // Any route: its answer and a refused query.
        var statuses: [HTTPStatus] = [.ok, .badRequest]
        // An empty range as PNG: no image to send.
        if self == .frames { statuses.append(.noContent) }
        if needsKey {
            statuses += [.unauthorized, .tooManyRequests]
        }
        if readsDatasets {
            statuses += [.notModified, .forbidden, .notFound, .internalServerError, .serviceUnavailable]
        }
        switch self {
        case .colorBar: statuses += [.notModified, .notFound, .internalServerError]
        case .ready: statuses += [.serviceUnavailable]
        case .datasets: statuses += [.internalServerError, .serviceUnavailable]
        default: break
        }
        return statuses
    }

    /// The routes about one dataset: tagged answers, a 404 for a dataset that is not there, a 403 for a
    /// key that does not cover it, and the database's failures.
    private var readsDatasets: Bool {
        switch self {
        case .frames, .statistics, .dataset, .generations, .changes: true
        default: false
        }
    }
}
