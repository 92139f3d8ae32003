import FramesCore
import Glibc
import ProcessSupport

/// Writes the pool's metrics for node_exporter. About once a second a worker takes the state folder's
/// lock, folds the counter files of workers that are gone into `retired.counters`, sums everything and
/// writes the single `frames_pool.prom`, with its companion files.
final class MetricsPublisher {
    private let stateDirectory: String
    private let metricsDirectory: String
    private let queueProbe: ListenQueueProbe?
    private var lastPublished = 0.0
    /// More metrics files written with `frames_pool.prom`: under the same lock, at the same pace, and
    /// a failure to write them reported once for the pool with its own.
    private let companionFiles: [(name: String, text: () -> String)]

    /// nil without a metrics folder, or without this worker's counters to publish.
    init?(counters: WorkerCounters?, metricsDirectory: String?, companionFiles: [(name: String, text: () -> String)]) {
        guard let counters, let metricsDirectory else { return nil }
        stateDirectory = counters.stateDirectory
        self.metricsDirectory = metricsDirectory
        queueProbe = counters.queueProbe
        self.companionFiles = companionFiles
        publishIfDue(force: true)
    }

    func publishIfDue(force: Bool = false) {
        let now = Clock.monotonicSeconds
        guard force || now - lastPublished >= 1 else { return }
        lastPublished = now
        // Another worker publishing right now is as good as this one doing it.
        guard let lock = try? LockFile.acquire(stateDirectory + "/.lock", waiting: false) else { return }
        defer { lock.release() }

        let retiredPath = stateDirectory + "/retired.counters"
        var retired = CounterFiles.read(retiredPath) ?? (pid: 0, counters: PoolCounters())
        var total = PoolCounters()
        var alive = 0
        CounterFiles.forEachWorker(in: stateDirectory) { path, worker, isAlive in
            if isAlive {
                alive += 1
                total = total + worker.counters
            } else {
                // `pid` of the retired record counts the workers folded into it: the restarts.
                retired = (retired.pid + 1, retired.counters + worker.counters.retired)
                CounterFiles.write(retired, to: retiredPath)
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
}
