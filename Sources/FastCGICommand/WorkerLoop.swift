import FramesCore
import Glibc
import ProcessSupport

/// Answers requests until the pool stops this worker; the status is the process's exit status.
func serve(_ configuration: ResponderConfiguration) -> SysExit {
    guard var worker = Worker(configuration) else { return .software }
    var status = SysExit.ok
    do {
        while try worker.responder.accept() {
            if let exit = worker.answerAccepted() {
                status = exit
                break
            }
        }
    } catch {
        // multiwatch starts a replacement; the log says why this one went.
        Log.error("cannot accept connections; worker exits", ["error": .string("\(error)")])
        status = .osError
    }
    worker.stopping()
    Log.info("worker stopping", ["pid": .int(Int(getpid()))])
    return status
}
