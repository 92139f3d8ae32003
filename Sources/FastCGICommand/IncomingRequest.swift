/// The parts of a FastCGI request the service reads, taken from the CGI parameters nginx sends.
struct IncomingRequest {
    var method: String
    var path: String
    var query: String
    var accept: String?
    var ifNoneMatch: String?
    /// Holds the API token: never logged.
    var authorization: String?
    /// The page's origin, sent by browsers on cross-origin requests; what CORS answers to.
    var origin: String?
    /// nginx's `$request_id`, so an access-log line and an application log line can be joined.
    var requestID: String?

    init(parameter: (String) -> String?) {
        method = parameter("REQUEST_METHOD") ?? "GET"
        let uri = parameter("REQUEST_URI") ?? "/"
        path = parameter("DOCUMENT_URI") ?? String(uri.prefix { $0 != "?" })
        query = parameter("QUERY_STRING") ?? ""
        accept = parameter("HTTP_ACCEPT")
        ifNoneMatch = parameter("HTTP_IF_NONE_MATCH")
        authorization = parameter("HTTP_AUTHORIZATION")
        origin = parameter("HTTP_ORIGIN")
        requestID = parameter("HTTP_X_REQUEST_ID")
    }
}
