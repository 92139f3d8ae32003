import FramesCore
import Glibc
import ProcessSupport

/// Stream slots counted over the whole pool: each worker's flag lives in its counter file, and a
/// claim counts the live workers' flags under the state folder's lock, so two workers cannot both take
/// the last slot. Without a state folder nothing is counted or capped.
final class PoolStreamSlots: StreamSlots {
    /// 0: no cap.
    let limit: Int
    private let counters: WorkerCounters?
    /// Streams are short unless the client is slow; a slot frees within the stream timeout.
    static let retryAfterSeconds = 2

    init(limit: Int, counters: WorkerCounters?) {
        self.limit = limit
        self.counters = counters
    }

    func claim() throws(RequestError) {
        guard let counters else { return }
        guard limit > 0 else {
            counters.streaming = true
            return
        }
        // Without the lock the cap cannot be kept: serving goes on uncapped rather than refusing.
        guard let lock = try? LockFile.acquire(counters.stateDirectory + "/.lock", waiting: true) else {
            counters.streaming = true
            return
        }
        defer { lock.release() }
        var streaming = 0
        CounterFiles.forEachWorker(in: counters.stateDirectory) { _, worker, alive in
            if alive, worker.pid != UInt64(getpid()) { streaming += Int(worker.counters.slots[PoolCounters.streamingSlot]) }
        }
        guard streaming < limit else { throw .streamsBusy(limit: limit, retryAfterSeconds: Self.retryAfterSeconds) }
        counters.streaming = true
    }

    /// A plain store, whether a slot was taken or not.
    func release() { counters?.streaming = false }
}
