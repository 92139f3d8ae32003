import FramesCore
import Glibc
import ProcessSupport

/// The pool's metrics. Each worker counts into its own memory-mapped file in the state folder: plain
/// stores on the request path, no system calls, and the counts survive a `kill -9`. About once a second
/// a worker takes the folder's lock, folds the files of workers that are gone into `retired.counters`,
/// sums everything and writes the single `frames_pool.prom` for node_exporter.
final class SharedCounters {
    private static let headerSlots = 2  // [magic, pid]
    private static let magic: UInt64 = 0x4652_414D_4553_0001
    private let stateDirectory: String
    private let metricsDirectory: String?
    private let slots: UnsafeMutablePointer<UInt64>
    private var lastPublished = 0.0
    /// The pool's listening socket (fd 0), read for the queue figures; nil when the kernel cannot say.
    private let queueProbe: ListenQueueProbe?
    /// More metrics files written with `frames_pool.prom`: under the same lock, at the same pace, and
    /// a failure to write them reported once for the pool with its own.
    var companionFiles: [(name: String, text: () -> String)] = []

    init?(stateDirectory: String?, metricsDirectory: String?) {
        guard let stateDirectory else { return nil }
        mkdir(stateDirectory, 0o750)
        let path = "\(stateDirectory)/worker-\(getpid()).counters"
        let size = (Self.headerSlots + PoolCounters.slotCount) * 8
        let fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640)
        guard fd >= 0, ftruncate(fd, off_t(size)) == 0,
              let mapped = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), mapped != MAP_FAILED else {
            Log.warning("pool metrics disabled: cannot map the counter file", ["path": .string(path)])
            if fd >= 0 { close(fd) }
            return nil
        }
        close(fd)
        slots = mapped.bindMemory(to: UInt64.self, capacity: Self.headerSlots + PoolCounters.slotCount)
        slots[0] = Self.magic
        slots[1] = UInt64(getpid())
        self.stateDirectory = stateDirectory
        self.metricsDirectory = metricsDirectory
        var probe: ListenQueueProbe?
        do {
            let opened = try ListenQueueProbe(listening: 0)
            _ = try opened.sample()
            probe = opened
        } catch {
            Log.warning("no listen queue figures: the kernel's socket diagnostics cannot be read", ["error": .string("\(error)")])
        }
        queueProbe = probe
        publishIfDue(force: true)
    }

    func record(_ summary: RequestSummary, seconds: Double) {
        for (slot, amount) in PoolCounters.increments(route: summary.route, status: summary.status, outcome: summary.outcome,
                                                      seconds: seconds, frames: summary.frames, bytes: summary.bytes) {
            slots[Self.headerSlots + slot] &+= amount
        }
    }

    /// Whether this worker is serving a request now, for `frames_pool_workers_busy`.
    func markBusy(_ busy: Bool) {
        slots[Self.headerSlots + PoolCounters.busySlot] = busy ? 1 : 0
    }

    /// Looks at the listen queue just after this worker took a connection from it: a queue that was full
    /// means connections were being refused (`frames_pool_queue_full_total`).
    func sampleQueueAtAccept() {
        if let queue = try? queueProbe?.sample(), queue.wasFull(beforeTaking: 1) {
            slots[Self.headerSlots + PoolCounters.queueFullSlot] &+= 1
        }
    }

    /// Takes one of the pool's `limit` places for an NDJSON stream (any number when `limit` is 0).
    /// The streams of the live workers are counted under the folder's lock, so two workers cannot both
    /// take the last place.
    func claimStream(limit: Int) -> Bool {
        let flag = Self.headerSlots + PoolCounters.streamingSlot
        guard limit > 0 else {
            slots[flag] = 1
            return true
        }
        // Without the lock the cap cannot be kept: serving goes on uncapped rather than refusing.
        guard let lock = try? LockFile.acquire(stateDirectory + "/.lock", waiting: true) else {
            slots[flag] = 1
            return true
        }
        defer { lock.release() }
        var streaming = 0
        forEachWorker { _, worker, alive in
            if alive, worker.pid != UInt64(getpid()) { streaming += Int(worker.counters.slots[PoolCounters.streamingSlot]) }
        }
        guard streaming < limit else { return false }
        slots[flag] = 1
        return true
    }

    func releaseStream() {
        slots[Self.headerSlots + PoolCounters.streamingSlot] = 0
    }

    /// The session's own running totals, copied in (they only grow).
    func recordDatabase(errors: Int, reconnects: Int) {
        slots[Self.headerSlots + PoolCounters.databaseErrorsSlot] = UInt64(errors)
        slots[Self.headerSlots + PoolCounters.databaseReconnectsSlot] = UInt64(reconnects)
    }

    func publishIfDue(force: Bool = false) {
        let now = Clock.monotonicSeconds
        guard let metricsDirectory, force || now - lastPublished >= 1 else { return }
        lastPublished = now
        // Another worker publishing right now is as good as this one doing it.
        guard let lock = try? LockFile.acquire(stateDirectory + "/.lock", waiting: false) else { return }
        defer { lock.release() }

        let retiredPath = stateDirectory + "/retired.counters"
        var retired = Self.read(retiredPath) ?? (pid: 0, counters: PoolCounters())
        var total = PoolCounters()
        var alive = 0
        forEachWorker { path, worker, isAlive in
            if isAlive {
                alive += 1
                total = total + worker.counters
            } else {
                // `pid` of the retired record counts the workers folded into it: the restarts.
                retired = (retired.pid + 1, retired.counters + worker.counters.retired)
                Self.write(retired, to: retiredPath)
                unlink(path)
            }
        }
        total = total + retired.counters
        let text = total.prometheusText(workersAlive: alive, workerRestarts: Int(retired.pid),
                                        queue: try? queueProbe?.sample())
        reportChange(publishing: Result { () throws(AtomicFile.Failure) in
            try AtomicFile.write(Array(text.utf8), to: metricsDirectory + "/frames_pool.prom")
            for companion in companionFiles {
                try AtomicFile.write(Array(companion.text().utf8), to: metricsDirectory + "/" + companion.name)
            }
        })
    }

    /// Every worker's counter file in the state folder, and whether its process still runs.
    private func forEachWorker(_ body: (_ path: String, _ worker: (pid: UInt64, counters: PoolCounters), _ alive: Bool) -> Void) {
        for name in Self.files(in: stateDirectory) where name.hasPrefix("worker-") && name.hasSuffix(".counters") {
            let path = stateDirectory + "/" + name
            guard let worker = Self.read(path) else { continue }
            body(path, worker, kill(pid_t(worker.pid), 0) == 0 || errno == EPERM)
        }
    }

    /// A full or read-only metrics folder is logged when it starts failing and when it recovers, once
    /// for the whole pool: a marker in the state folder, changed under the publishing lock, remembers.
    private func reportChange(publishing outcome: Result<Void, AtomicFile.Failure>) {
        let marker = stateDirectory + "/metrics-failing"
        let wasFailing = access(marker, F_OK) == 0
        switch outcome {
        case .success where wasFailing:
            unlink(marker)
            Log.info("pool metrics are written again", [:])
        case .failure(let error) where !wasFailing:
            close(open(marker, O_WRONLY | O_CREAT | O_CLOEXEC, 0o640))
            Log.warning("cannot write pool metrics; serving goes on, and this is logged once until it recovers",
                        ["error": .string("\(error)")])
        default:
            break
        }
    }

    private static func read(_ path: String) -> (pid: UInt64, counters: PoolCounters)? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt64](repeating: 0, count: headerSlots + PoolCounters.slotCount)
        let size = buffer.count * 8
        let got = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, size, 0) }
        guard got == size, buffer[0] == magic else { return nil }
        return (buffer[1], PoolCounters(slots: Array(buffer[headerSlots...])))
    }

    private static func write(_ record: (pid: UInt64, counters: PoolCounters), to path: String) {
        let words = [magic, record.pid] + record.counters.slots
        let bytes = words.withUnsafeBytes { Array($0) }
        try? AtomicFile.write(bytes, to: path, mode: 0o640)
    }

    private static func files(in directory: String) -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            names.append(name)
        }
        return names
    }
}
