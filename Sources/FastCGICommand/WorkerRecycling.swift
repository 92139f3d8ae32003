import Glibc
import ProcessSupport

/// When a worker should make way for a fresh one, as php-fpm's `pm.max_requests` does: after a number
/// of requests, or once it has grown past a memory limit. Whatever leaks or fragments is then bounded.
struct WorkerRecycling {
    /// Requests this worker answers before it exits; nil: no limit.
    let requestLimit: Int?
    let residentLimitMB: Int?
    private(set) var requests = 0
    private let started = Clock.monotonicSeconds

    /// multiwatch (-t 200) counts a worker that dies this young as a failed start and, after enough of
    /// them, stops replacing it: a worker whose limit is set below its starting size would otherwise
    /// recycle every few requests and end up costing its slot.
    static let minimumLifetime = 1.0

    /// Each worker's limit is `maxRequests` ± 10 %, drawn from its PID, so a pool started together
    /// does not recycle together.
    init(maxRequests: Int, maxResidentMB: Int, pid: pid_t = getpid()) {
        if maxRequests > 0 {
            let spread = max(1, maxRequests / 5)
            requestLimit = maxRequests - spread / 2 + Int(UInt32(bitPattern: pid) &* 2_654_435_761 % UInt32(spread))
        } else {
            requestLimit = nil
        }
        residentLimitMB = maxResidentMB > 0 ? maxResidentMB : nil
    }

    /// Counts a request; returns why the worker should stop now, or nil to go on.
    mutating func recordRequest() -> String? {
        requests += 1
        guard Clock.monotonicSeconds - started >= Self.minimumLifetime else { return nil }
        if let requestLimit, requests >= requestLimit { return "answered \(requests) requests" }
        // Reading /proc costs a few microseconds: every 16th request is often enough to notice growth.
        if let residentLimitMB, requests % 16 == 0, let resident = ResidentMemory.megabytes(), resident > residentLimitMB {
            return "resident memory \(resident) MB is over \(residentLimitMB) MB"
        }
        return nil
    }
}
