@testable import FramesCore

// The tests write queries as a client would send them; the service decodes a query string once, in the
// request handler, and hands the parameters to these types.
extension FrameQuery {
    init(queryString: String, accept: String?) throws(RequestError) {
        try self.init(parameters: QueryString.decode(queryString), accept: accept)
    }
}

extension StatisticsQuery {
    init(queryString: String) throws(RequestError) {
        try self.init(parameters: QueryString.decode(queryString))
    }
}

extension ColorBarQuery {
    init(queryString: String) throws(RequestError) {
        try self.init(parameters: QueryString.decode(queryString))
    }
}
