import FramesCore
import ProcessSupport

enum SampleFile {
    static func write(_ sample: SampleImageLog, to path: String) throws(IngestError) {
        do {
            try AtomicFile.write(to: path) { sink in sample.write { sink(Array($0.utf8)) } }
        } catch {
            throw .io("\(path): cannot write (\(error))")
        }
    }
}
