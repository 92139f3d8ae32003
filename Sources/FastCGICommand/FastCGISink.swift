import FastCGI
import FramesCore
import ProcessSupport

/// Adapts the FastCGI request's stdout stream to the handler's sink; one per request.
final class FastCGISink: ResponseSink {
    let request: FastCGIResponder
    private var budget: StreamBudget?
    /// Under a budget, bytes go to libfcgi in pieces no larger than its buffer, so each piece costs at
    /// most one socket write, and each write waits no longer than the budget has left.
    private static let piece = 4096

    init(_ request: FastCGIResponder) { self.request = request }

    // A client that went away is not the worker's failure: the rest of the response is dropped.
    func sendComplete(_ bytes: [UInt8]) {
        try? request.sendComplete(bytes)
    }

    func write(_ bytes: [UInt8]) {
        guard let budget else {
            try? request.write(bytes)
            return
        }
        bytes.withUnsafeBytes { all in
            for start in stride(from: 0, to: all.count, by: Self.piece) {
                if let wait = budget.writeWait(at: Clock.monotonicSeconds) { request.limitWriteWait(seconds: wait) }
                try? request.write(UnsafeRawBufferPointer(rebasing: all[start..<min(start + Self.piece, all.count)]))
            }
        }
    }

    func flush() -> Bool {
        if let wait = budget?.writeWait(at: Clock.monotonicSeconds) { request.limitWriteWait(seconds: wait) }
        return (try? request.flush()) != nil
    }

    func limitWrites(by budget: StreamBudget) { self.budget = budget }

    func abandon() { request.abandonConnection() }
}
