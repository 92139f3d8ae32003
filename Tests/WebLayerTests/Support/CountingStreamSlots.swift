@testable import FastCGICommand
import FramesCore

/// Stream slots of a pool with `limit` of them, `taken` already held by other workers.
final class CountingStreamSlots: StreamSlots {
    let limit: Int
    var taken: Int
    private(set) var claims = 0

    init(limit: Int = 2, taken: Int = 0) {
        self.limit = limit
        self.taken = taken
    }

    func claim() throws(RequestError) {
        guard taken < limit else { throw .streamsBusy(limit: limit, retryAfterSeconds: PoolStreamSlots.retryAfterSeconds) }
        claims += 1
    }

    /// Giving back is the worker's bookkeeping, after the answer is sent: nothing to count here.
    func release() {}
}
