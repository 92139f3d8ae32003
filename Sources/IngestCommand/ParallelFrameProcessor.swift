import Dispatch
import FramesCore
import FrameStore
import GzipCodec
import Glibc

/// Processes rows in batches across the machine's cores: compressing every row twice at level 9 is
/// most of an ingest's CPU time, and rows are independent. A batch runs in the background while the
/// caller parses the next one; output keeps the input order.
/// Unchecked `Sendable`: concurrent iteration `i` touches only `processors[i]`, and one batch runs at
/// a time: the caller waits for a job before it starts the next.
final class ParallelFrameProcessor: @unchecked Sendable {
    private let processors: [FrameProcessor]

    init(sourceWidth: Int, targetWidth: Int, stored: StoredRowHashes,
         threads: Int = max(1, min(8, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))) throws(GzipError) {
        var processors: [FrameProcessor] = []
        for _ in 0..<threads {
            processors.append(try FrameProcessor(sourceWidth: sourceWidth, targetWidth: targetWidth, stored: stored))
        }
        self.processors = processors
    }

    /// A batch being processed; `wait()` returns its frames.
    final class Job: @unchecked Sendable {
        fileprivate let done = DispatchGroup()
        fileprivate var results: [Result<[ProcessedRow], GzipError>] = []

        func wait() throws(GzipError) -> [ProcessedRow] {
            done.wait()
            var frames: [ProcessedRow] = []
            for slice in results { frames += try slice.get() }
            return frames
        }
    }

    func start(_ rows: [ImageLogRow]) -> Job {
        let job = Job()
        let slices = processors.count
        let sliceLength = (rows.count + slices - 1) / slices
        job.results = [Result<[ProcessedRow], GzipError>](repeating: .success([]), count: slices)
        job.done.enter()
        DispatchQueue.global().async {
            job.results.withUnsafeMutableBufferPointer { slots in
                let slots = SendableSlots(slots)
                DispatchQueue.concurrentPerform(iterations: slices) { slice in
                    let range = min(rows.count, slice * sliceLength)..<min(rows.count, (slice + 1) * sliceLength)
                    slots.store(Result { () throws(GzipError) in
                        var frames: [ProcessedRow] = []
                        frames.reserveCapacity(range.count)
                        for row in rows[range] { frames.append(try self.processors[slice].process(row)) }
                        return frames
                    }, at: slice)
                }
            }
            job.done.leave()
        }
        return job
    }
}

/// Each concurrent iteration writes only its own slot, so sharing the buffer is safe.
private struct SendableSlots<T>: @unchecked Sendable {
    let base: UnsafeMutableBufferPointer<T>
    init(_ base: UnsafeMutableBufferPointer<T>) { self.base = base }
    func store(_ value: T, at index: Int) { base[index] = value }
}
