import FramesCore
import Glibc
import ProcessSupport

/// `frames_ingest.prom` for node_exporter's textfile collector. Each run is a short-lived process, so
/// counters continue from the values in the previous file, under a lock, so they never go backwards.
struct IngestMetrics {
    var directory: String

    enum FileResult: String, CaseIterable {
        case done, failed, retry
    }

    struct Run {
        var rowsLoaded = 0
        var emptyRowsSkipped = 0
        var badRowsSkipped = 0
        var files: [FileResult: Int] = [:]
        var seconds = 0.0
        var succeeded = false
    }

    func record(_ run: Run) {
        let path = directory + "/frames_ingest.prom"
        guard let lock = try? LockFile.acquire(path + ".lock", waiting: true, mode: 0o644) else {
            Log.warning("cannot write metrics", ["path": .string(path)])
            return
        }
        defer { lock.release() }
        let previous = PrometheusText.samples(in: (try? TextFile.read(path)) ?? "")
        func carried(_ key: String, _ added: Int) -> Double { (previous[key] ?? 0) + Double(added) }

        let now = Clock.unixSeconds
        var text = PrometheusText()
        text.family("frames_ingest_rows_loaded_total", .counter, help: "Image rows loaded into the database.")
        text.sample("frames_ingest_rows_loaded_total", carried("frames_ingest_rows_loaded_total", run.rowsLoaded))
        text.family("frames_ingest_rows_skipped_total", .counter, help: "Rows not loaded, by reason.")
        for (reason, count) in [("empty", run.emptyRowsSkipped), ("invalid", run.badRowsSkipped)] {
            let key = "frames_ingest_rows_skipped_total{reason=\"\(reason)\"}"
            text.sample("frames_ingest_rows_skipped_total", [("reason", reason)], carried(key, count))
        }
        text.family("frames_ingest_files_total", .counter, help: "Files ingested, by result.")
        for result in FileResult.allCases {
            let key = "frames_ingest_files_total{result=\"\(result.rawValue)\"}"
            text.sample("frames_ingest_files_total", [("result", result.rawValue)], carried(key, run.files[result] ?? 0))
        }
        text.family("frames_ingest_last_run_duration_seconds", .gauge, help: "Duration of the last ingest run.")
        text.sample("frames_ingest_last_run_duration_seconds", run.seconds)
        text.family("frames_ingest_last_run_timestamp_seconds", .gauge, help: "When the last ingest run ended.")
        text.sample("frames_ingest_last_run_timestamp_seconds", now)
        text.family("frames_ingest_last_success_timestamp_seconds", .gauge,
                    help: "When an ingest run last ended without a failure.")
        text.sample("frames_ingest_last_success_timestamp_seconds",
                    run.succeeded ? now : previous["frames_ingest_last_success_timestamp_seconds"] ?? 0)
        do {
            try AtomicFile.write(Array(text.text.utf8), to: path)
        } catch {
            Log.warning("cannot write metrics", ["path": .string(path)])
        }
    }
}
