import Dispatch
import Glibc
import FramesCore

/// Processes rows in batches across the machine's cores: compressing every row twice at level 9 is
/// most of an ingest's CPU time, and rows are independent. Output keeps the input order.
/// Unchecked `Sendable`: concurrent iteration `i` touches only `processors[i]`.
final class ParallelFrameProcessor: @unchecked Sendable {
    private let processors: [FrameProcessor]

    init(sourceWidth: Int, targetWidth: Int, threads: Int = max(1, min(8, System.activeProcessorCount))) throws {
        processors = try (0..<threads).map { _ in try FrameProcessor(sourceWidth: sourceWidth, targetWidth: targetWidth) }
    }

    func process(_ rows: [ImageLogRow]) throws -> [ProcessedFrame] {
        let slices = processors.count
        let sliceLength = (rows.count + slices - 1) / slices
        var results = [Result<[ProcessedFrame], Error>](repeating: .success([]), count: slices)
        results.withUnsafeMutableBufferPointer { slots in
            let slots = SendableSlots(slots)
            DispatchQueue.concurrentPerform(iterations: slices) { slice in
                let range = min(rows.count, slice * sliceLength)..<min(rows.count, (slice + 1) * sliceLength)
                slots.store(Result { try rows[range].map(self.processors[slice].process) }, at: slice)
            }
        }
        return try results.flatMap { try $0.get() }
    }
}

/// Each concurrent iteration writes only its own slot, so sharing the buffer is safe.
private struct SendableSlots<T>: @unchecked Sendable {
    let base: UnsafeMutableBufferPointer<T>
    init(_ base: UnsafeMutableBufferPointer<T>) { self.base = base }
    func store(_ value: T, at index: Int) { base[index] = value }
}

enum System {
    static var activeProcessorCount: Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
}
