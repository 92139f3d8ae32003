/// The counters one worker keeps, as a flat array of 64-bit slots, so they can live in a shared
/// memory-mapped file that outlives the worker: when a worker is killed, its counts are still on disk
/// and the pool's totals never go backwards.
public struct PoolCounters: Equatable, Sendable {
    /// Every route, then the label of requests that matched none.
    public static let routes = Route.Template.allCases.map(\.rawValue) + ["unknown"]
    public static let statusClasses = ["1xx", "2xx", "3xx", "4xx", "5xx"]
    /// Upper bounds of the request-duration histogram, in seconds (+Inf is implicit).
    public static let durationBuckets: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]

    enum Slot {
        static let requests = 0
        /// Refused requests, by route and refusal (all 4xx); `requests` counts the answered ones.
        static let refusals = requests + routes.count * statusClasses.count
        static let buckets = refusals + routes.count * RequestOutcome.refusals.count
        static let durationCount = buckets + durationBuckets.count + 1
        static let durationSumMicros = durationCount + 1
        static let frames = durationSumMicros + 1
        static let bytes = frames + 1
        static let databaseErrors = bytes + 1
        static let databaseReconnects = databaseErrors + 1
        /// 1 while the worker serves a request: a gauge, not a count, so it is never carried over from
        /// a worker that is gone.
        static let busy = databaseReconnects + 1
        /// 1 while the worker sends an NDJSON stream: a gauge, like `busy`; the pool's cap on streams
        /// counts these.
        static let streaming = busy + 1
        /// Accepts that found the listen queue at its backlog (see `ListenQueue`).
        static let queueFull = streaming + 1
        static let total = queueFull + 1
    }

    public static let slotCount = Slot.total

    public var slots: [UInt64]

    public init(slots: [UInt64] = [UInt64](repeating: 0, count: PoolCounters.slotCount)) {
        precondition(slots.count == Self.slotCount)
        self.slots = slots
    }

    /// Where one request's numbers go; the caller adds 1 (or the amount) at each index.
    /// `route` is nil for a request that matched no route.
    public static func increments(route: Route.Template?, status: Int, outcome: RequestOutcome = .answered, seconds: Double,
                                  frames: Int, bytes: Int) -> [(Int, UInt64)] {
        let routeIndex = route.flatMap { Route.Template.allCases.firstIndex(of: $0) } ?? routes.count - 1
        let classIndex = min(max(status / 100 - 1, 0), statusClasses.count - 1)
        let bucket = durationBuckets.firstIndex { seconds <= $0 } ?? durationBuckets.count
        let counted = RequestOutcome.refusals.firstIndex(of: outcome)
            .map { Slot.refusals + routeIndex * RequestOutcome.refusals.count + $0 }
            ?? Slot.requests + routeIndex * statusClasses.count + classIndex
        return [(counted, 1),
                (Slot.buckets + bucket, 1),
                (Slot.durationCount, 1),
                (Slot.durationSumMicros, UInt64(max(0, seconds) * 1e6)),
                (Slot.frames, UInt64(frames)),
                (Slot.bytes, UInt64(bytes))]
    }

    public static let databaseErrorsSlot = Slot.databaseErrors
    public static let databaseReconnectsSlot = Slot.databaseReconnects
    public static let busySlot = Slot.busy
    public static let streamingSlot = Slot.streaming
    public static let queueFullSlot = Slot.queueFull

    /// What a gone worker leaves to the pool's totals: its counts, without its busy flag.
    public var retired: PoolCounters {
        var counters = self
        counters.slots[Slot.busy] = 0
        counters.slots[Slot.streaming] = 0
        return counters
    }

    public static func + (lhs: PoolCounters, rhs: PoolCounters) -> PoolCounters {
        PoolCounters(slots: zip(lhs.slots, rhs.slots).map { $0 &+ $1 })
    }

    /// The pool's exposition: one file for all workers, alive and gone.
    /// `queue` is the listen socket as sampled when the file is written; nil when it could not be read.
    public func prometheusText(workersAlive: Int, workerRestarts: Int, queue: ListenQueue? = nil) -> String {
        var text = PrometheusText()
        text.family("frames_http_requests_total", .counter,
                    help: "Requests answered by the FastCGI pool, by route, status class and outcome (answered, or refused by access control).")
        for (r, route) in Self.routes.enumerated() {
            for (c, statusClass) in Self.statusClasses.enumerated() {
                let value = slots[Slot.requests + r * Self.statusClasses.count + c]
                text.sample("frames_http_requests_total", [("route", route), ("code", statusClass),
                                                           ("outcome", RequestOutcome.answered.rawValue)], Double(value))
            }
            for (o, outcome) in RequestOutcome.refusals.enumerated() {
                let value = slots[Slot.refusals + r * RequestOutcome.refusals.count + o]
                text.sample("frames_http_requests_total", [("route", route), ("code", "4xx"), ("outcome", outcome.rawValue)],
                            Double(value))
            }
        }
        text.family("frames_http_request_duration_seconds", .histogram, help: "Time from accepting a request to finishing its response.")
        var cumulative: UInt64 = 0
        for (index, bound) in Self.durationBuckets.enumerated() {
            cumulative += slots[Slot.buckets + index]
            text.sample("frames_http_request_duration_seconds_bucket", [("le", PrometheusText.format(bound))], Double(cumulative))
        }
        text.sample("frames_http_request_duration_seconds_bucket", [("le", "+Inf")], Double(slots[Slot.durationCount]))
        text.sample("frames_http_request_duration_seconds_sum", Double(slots[Slot.durationSumMicros]) / 1e6)
        text.sample("frames_http_request_duration_seconds_count", Double(slots[Slot.durationCount]))
        text.family("frames_frames_served_total", .counter, help: "Image frames sent in responses.")
        text.sample("frames_frames_served_total", Double(slots[Slot.frames]))
        text.family("frames_http_response_body_bytes_total", .counter, help: "Response body bytes written by the pool.")
        text.sample("frames_http_response_body_bytes_total", Double(slots[Slot.bytes]))
        text.family("frames_database_errors_total", .counter, help: "Failed database statements and connection attempts.")
        text.sample("frames_database_errors_total", Double(slots[Slot.databaseErrors]))
        text.family("frames_database_reconnects_total", .counter, help: "Reconnections to PostgreSQL after a lost connection.")
        text.sample("frames_database_reconnects_total", Double(slots[Slot.databaseReconnects]))
        text.family("frames_pool_workers_alive", .gauge, help: "FastCGI worker processes running.")
        text.sample("frames_pool_workers_alive", Double(workersAlive))
        text.family("frames_pool_workers_busy", .gauge, help: "Workers serving a request when the file was written.")
        text.sample("frames_pool_workers_busy", Double(slots[Slot.busy]))
        text.family("frames_pool_worker_restarts_total", .counter, help: "Worker processes that ended and were replaced.")
        text.sample("frames_pool_worker_restarts_total", Double(workerRestarts))
        text.family("frames_pool_streams", .gauge, help: "NDJSON streams being sent when the file was written.")
        text.sample("frames_pool_streams", Double(slots[Slot.streaming]))
        if let queue {
            text.family("frames_pool_queue_length", .gauge,
                        help: "Connections waiting in the pool socket's listen queue when the file was written.")
            text.sample("frames_pool_queue_length", Double(queue.length))
            text.family("frames_pool_queue_capacity", .gauge,
                        help: "The pool socket's listen backlog: more waiting connections are refused.")
            text.sample("frames_pool_queue_capacity", Double(queue.capacity))
        }
        text.family("frames_pool_queue_full_total", .counter,
                    help: "Accepts that found the listen queue full; connections arriving then were refused (nginx answers 503).")
        text.sample("frames_pool_queue_full_total", Double(slots[Slot.queueFull]))
        return text.text
    }
}
