import FramesCore
import Glibc
import ProcessSupport

/// This worker's counts, in its own memory-mapped file in the state folder: plain stores on the
/// request path, no system calls, and the counts survive a `kill -9`. `MetricsPublisher` sums the
/// files of the pool.
final class WorkerCounters {
    let stateDirectory: String
    private let slots: UnsafeMutablePointer<UInt64>
    /// The pool's listening socket (fd 0), read for the queue figures; nil when the kernel cannot say.
    let queueProbe: ListenQueueProbe?

    init?(stateDirectory: String?) {
        guard let stateDirectory else { return nil }
        mkdir(stateDirectory, 0o750)
        let path = CounterFiles.workerPath(in: stateDirectory, pid: getpid())
        let fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640)
        guard fd >= 0, ftruncate(fd, off_t(CounterFiles.size)) == 0,
              let mapped = mmap(nil, CounterFiles.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), mapped != MAP_FAILED else {
            Log.warning("pool metrics disabled: cannot map the counter file", ["path": .string(path)])
            if fd >= 0 { close(fd) }
            return nil
        }
        close(fd)
        slots = mapped.bindMemory(to: UInt64.self, capacity: CounterFiles.headerSlots + PoolCounters.slotCount)
        slots[0] = CounterFiles.magic
        slots[1] = UInt64(getpid())
        self.stateDirectory = stateDirectory
        var probe: ListenQueueProbe?
        do {
            let opened = try ListenQueueProbe(listening: 0)
            _ = try opened.sample()
            probe = opened
        } catch {
            Log.warning("no listen queue figures: the kernel's socket diagnostics cannot be read", ["error": .string("\(error)")])
        }
        queueProbe = probe
    }

    func record(_ summary: RequestSummary, seconds: Double) {
        for (slot, amount) in PoolCounters.increments(route: summary.route?.template, status: summary.status,
                                                      outcome: summary.outcome, seconds: seconds,
                                                      frames: summary.frames, bytes: summary.bytes) {
            slots[CounterFiles.headerSlots + slot] &+= amount
        }
    }

    /// Whether this worker is serving a request now, for `frames_pool_workers_busy`.
    var busy: Bool {
        get { slots[CounterFiles.headerSlots + PoolCounters.busySlot] == 1 }
        set { slots[CounterFiles.headerSlots + PoolCounters.busySlot] = newValue ? 1 : 0 }
    }

    /// Whether this worker sends an NDJSON stream now: what `PoolStreamSlots` counts.
    var streaming: Bool {
        get { slots[CounterFiles.headerSlots + PoolCounters.streamingSlot] == 1 }
        set { slots[CounterFiles.headerSlots + PoolCounters.streamingSlot] = newValue ? 1 : 0 }
    }

    /// Looks at the listen queue just after this worker took a connection from it: a queue that was full
    /// means connections were being refused (`frames_pool_queue_full_total`).
    func sampleQueueAtAccept() {
        if let queue = try? queueProbe?.sample(), queue.wasFull(beforeTaking: 1) {
            slots[CounterFiles.headerSlots + PoolCounters.queueFullSlot] &+= 1
        }
    }

    /// The session's own running totals, copied in (they only grow).
    func recordDatabase(errors: Int, reconnects: Int) {
        slots[CounterFiles.headerSlots + PoolCounters.databaseErrorsSlot] = UInt64(errors)
        slots[CounterFiles.headerSlots + PoolCounters.databaseReconnectsSlot] = UInt64(reconnects)
    }
}
