@testable import FastCGICommand
import FramesCore

/// Keeps what the handler writes, as nginx would receive it.
final class RecordingSink: ResponseSink {
    private(set) var bytes: [UInt8] = []
    /// Whether the answer went out in one piece with the end of the request.
    private(set) var sentComplete = false
    private(set) var abandoned = false
    private(set) var flushes = 0
    private(set) var budget: StreamBudget?
    /// Flushes after this many fail, as when the client goes away mid-stream; nil: none fails.
    var failAfterFlushes: Int?

    func sendComplete(_ bytes: [UInt8]) {
        self.bytes += bytes
        sentComplete = true
    }

    func write(_ bytes: [UInt8]) { self.bytes += bytes }

    func flush() -> Bool {
        flushes += 1
        return failAfterFlushes.map { flushes <= $0 } ?? true
    }

    func limitWrites(by budget: StreamBudget) { self.budget = budget }

    func abandon() { abandoned = true }
}
