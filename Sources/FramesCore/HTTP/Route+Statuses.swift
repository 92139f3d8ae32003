extension Route.Template {
    /// Every status an answer on this path can have, for the API's description: the web layer's
    /// tests check each answer they make against it. A 404 for an unknown path and a 405 for another
    /// method belong to no route and are not listed here.
    public var statuses: [HTTPStatus] {
        // Any route: its answer, a refused query and the browser's preflight (204).
        var statuses: [HTTPStatus] = [.ok, .noContent, .badRequest]
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
