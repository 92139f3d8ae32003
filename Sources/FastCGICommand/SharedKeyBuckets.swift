import Digests
import FramesCore
import Glibc
import ProcessSupport

/// The pool's per-key rate limits: one token bucket per key in a file of the state folder that every
/// worker maps, so a key's limit holds however its requests spread over the workers. A charge is a few
/// loads and stores under flock(2), which the kernel releases when the holder dies, so a killed worker
/// cannot leave the table locked. The slots also count each key's requests: the counts outlive any
/// worker, and SharedCounters publishes them as `frames_keys.prom` beside the pool's own file.
final class SharedKeyBuckets {
    /// Keys tracked at once. A key's slot is searched in a window after its hash; in a full window the
    /// slot used least recently is taken over, and its counts are lost.
    static let capacity = 4096
    private static let window = 32
    private static let magic: UInt64 = 0x4652_4B42_554B_0001
    private static let headerSize = 16  // [magic, capacity]
    private static let slotSize = 128
    private static let size = headerSize + capacity * slotSize

    /// Where each field sits in a slot. An all-zero key id marks a free slot.
    private enum Field {
        static let keyID = 0, keyIDLength = 16
        static let nameLength = 16
        static let name = 24, nameCapacity = 64
        static let tokens = 88
        static let updatedAt = 96
        static let admitted = 104
        static let rateLimited = 112
    }

    /// -1 when the table is this worker's own memory (no state folder): then nothing is locked.
    private let fd: Int32
    private let table: UnsafeMutableRawPointer

    init(stateDirectory: String?) {
        if let stateDirectory, let (fd, table) = Self.mapShared(stateDirectory + "/key-buckets.table") {
            self.fd = fd
            self.table = table
            return
        }
        Log.warning("per-key rate limits hold per worker, not per pool: no shared table in FRAMES_STATE_DIR",
                    ["state_dir": .string(stateDirectory ?? "")])
        // Anonymous memory cannot fail for lack of a file, only of memory, which the worker would lack anyway.
        let mapped = mmap(nil, Self.size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        precondition(mapped != MAP_FAILED, "cannot allocate the per-key rate table")
        fd = -1
        table = mapped!
    }

    /// Opens the table, laying it out afresh when it is missing or from another layout, under the lock
    /// so that workers starting together agree on it.
    private static func mapShared(_ path: String) -> (Int32, UnsafeMutableRawPointer)? {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else { return nil }
        lock(fd)
        defer { unlock(fd) }
        var header: [UInt64] = [0, 0]
        let read = header.withUnsafeMutableBytes { pread(fd, $0.baseAddress, headerSize, 0) }
        var info = stat()
        let current = fstat(fd, &info) == 0 && info.st_size == size && read == headerSize && header == [magic, UInt64(capacity)]
        if !current {
            header = [magic, UInt64(capacity)]
            guard ftruncate(fd, 0) == 0, ftruncate(fd, off_t(size)) == 0,
                  header.withUnsafeBytes({ pwrite(fd, $0.baseAddress, headerSize, 0) }) == headerSize else {
                close(fd)
                return nil
            }
        }
        guard let mapped = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), mapped != MAP_FAILED else {
            close(fd)
            return nil
        }
        return (fd, mapped)
    }

    /// Counts a request made with `key`'s verified token and, when the key has a limit, takes a token
    /// from its bucket.
    func charge(_ key: KeyCredentials, limit: RateLimit?) -> TokenBucket.Decision {
        Self.lock(fd)
        defer { Self.unlock(fd) }
        // Read under the lock: a time taken before it can be older than what a worker that got the lock
        // first stored, and a bucket that seems to go back in time starts afresh (full).
        let now = Clock.monotonicSeconds
        let slot = slot(for: key, now: now)
        var bucket = TokenBucket(tokens: slot.load(fromByteOffset: Field.tokens, as: Double.self),
                                 updatedAt: slot.load(fromByteOffset: Field.updatedAt, as: Double.self))
        let decision = limit.map { bucket.take($0, at: now) } ?? .admitted
        slot.storeBytes(of: bucket.tokens, toByteOffset: Field.tokens, as: Double.self)
        slot.storeBytes(of: now, toByteOffset: Field.updatedAt, as: Double.self)
        let counter = decision == .admitted ? Field.admitted : Field.rateLimited
        slot.storeBytes(of: slot.load(fromByteOffset: counter, as: UInt64.self) &+ 1, toByteOffset: counter, as: UInt64.self)
        return decision
    }

    /// The slot of `key`, taken (with a full bucket) if the key has none.
    private func slot(for key: KeyCredentials, now: Double) -> UnsafeMutableRawPointer {
        let id = Self.padded(key.keyID, to: Field.keyIDLength)
        let start = Int(Self.hash(id) % UInt64(Self.capacity))
        var oldest: UnsafeMutableRawPointer?
        for step in 0..<Self.window {
            let slot = table + Self.headerSize + (start + step) % Self.capacity * Self.slotSize
            if memcmp(slot, id, id.count) == 0 { return slot }
            if slot.load(as: UInt8.self) == 0 { return claim(slot, key: key, id: id, now: now) }
            if let oldest, oldest.load(fromByteOffset: Field.updatedAt, as: Double.self)
                <= slot.load(fromByteOffset: Field.updatedAt, as: Double.self) { continue }
            oldest = slot
        }
        return claim(oldest!, key: key, id: id, now: now)
    }

    private func claim(_ slot: UnsafeMutableRawPointer, key: KeyCredentials, id: [UInt8], now: Double) -> UnsafeMutableRawPointer {
        memset(slot, 0, Self.slotSize)
        memcpy(slot, id, id.count)
        let name = Array(key.name.utf8.prefix(Field.nameCapacity))
        slot.storeBytes(of: UInt64(name.count), toByteOffset: Field.nameLength, as: UInt64.self)
        memcpy(slot + Field.name, name, name.count)
        // A bucket that was last updated at -∞ refills to its burst at the first charge.
        slot.storeBytes(of: -Double.infinity, toByteOffset: Field.updatedAt, as: Double.self)
        return slot
    }

    /// Each key's counts, by name.
    func counts() -> [String: KeyRequestCounts] {
        Self.lock(fd)
        defer { Self.unlock(fd) }
        var counts: [String: KeyRequestCounts] = [:]
        for index in 0..<Self.capacity {
            let slot = table + Self.headerSize + index * Self.slotSize
            guard slot.load(as: UInt8.self) != 0 else { continue }
            let length = min(Int(slot.load(fromByteOffset: Field.nameLength, as: UInt64.self)), Field.nameCapacity)
            let name = String(decoding: UnsafeRawBufferPointer(start: slot + Field.name, count: length), as: UTF8.self)
            counts[name, default: KeyRequestCounts()].admitted &+= slot.load(fromByteOffset: Field.admitted, as: UInt64.self)
            counts[name, default: KeyRequestCounts()].rateLimited &+= slot.load(fromByteOffset: Field.rateLimited, as: UInt64.self)
        }
        return counts
    }

    /// The counts as `frames_keys.prom` says them.
    func prometheusText() -> String {
        KeyRequestCounts.prometheusText(counts())
    }

    private static func lock(_ fd: Int32) {
        guard fd >= 0 else { return }
        while flock(fd, LOCK_EX) != 0, errno == EINTR {}
    }

    private static func unlock(_ fd: Int32) {
        guard fd >= 0 else { return }
        flock(fd, LOCK_UN)
    }

    private static func padded(_ text: String, to length: Int) -> [UInt8] {
        let bytes = Array(text.utf8.prefix(length))
        return bytes + [UInt8](repeating: 0, count: length - bytes.count)
    }

    /// Key ids are already random, so any even spread will do; SHA-256's first 64 bits are the same in
    /// every worker, as the shared slots need.
    private static func hash(_ bytes: [UInt8]) -> UInt64 {
        SystemHashes().sha256(bytes).prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }
}
