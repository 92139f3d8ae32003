import FramesCore
import PNGEncoder

extension PNGEncodingError {
    /// An image the service built itself that libpng refuses is the server's fault: a 500, and the log
    /// says why.
    var requestError: RequestError { .internalError(reason: "PNG encoding failed: \(self)") }
}
