import FramesCore
import Glibc
import ProcessSupport

/// The state folder's counter files: one per worker (`worker-PID.counters`, which the worker maps),
/// and `retired.counters`, the sum of the workers that are gone. Each is a magic number, a pid (for
/// the retired file: how many workers it holds) and the `PoolCounters` slots.
enum CounterFiles {
    static let headerSlots = 2  // [magic, pid]
    static let magic: UInt64 = 0x4652_414D_4553_0001
    static let size = (headerSlots + PoolCounters.slotCount) * 8

    static func workerPath(in stateDirectory: String, pid: pid_t) -> String {
        "\(stateDirectory)/worker-\(pid).counters"
    }

    /// Every worker's counter file in the folder, and whether its process still runs.
    static func forEachWorker(in stateDirectory: String,
                              _ body: (_ path: String, _ worker: (pid: UInt64, counters: PoolCounters), _ alive: Bool) -> Void) {
        for name in files(in: stateDirectory) where name.hasPrefix("worker-") && name.hasSuffix(".counters") {
            let path = stateDirectory + "/" + name
            guard let worker = read(path) else { continue }
            body(path, worker, kill(pid_t(worker.pid), 0) == 0 || errno == EPERM)
        }
    }

    static func read(_ path: String) -> (pid: UInt64, counters: PoolCounters)? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt64](repeating: 0, count: headerSlots + PoolCounters.slotCount)
        let got = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, size, 0) }
        guard got == size, buffer[0] == magic else { return nil }
        return (buffer[1], PoolCounters(slots: Array(buffer[headerSlots...])))
    }

    static func write(_ record: (pid: UInt64, counters: PoolCounters), to path: String) {
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
