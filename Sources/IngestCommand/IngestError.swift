import FramesCore
import GzipCodec
import PostgresClient
import ProcessSupport

/// Everything that can stop an ingest, each with the exit status a timer or script acts on.
enum IngestError: Error, CustomStringConvertible {
    case noInput(path: String, reason: String)
    case badData(file: String, CSVDataError)
    case emptyFile(file: String)
    case database(PostgresError)
    case compression(GzipError)
    case io(String)

    var exitStatus: SysExit {
        switch self {
        case .noInput: return .noInput
        case .badData, .emptyFile: return .dataError
        case .database(let error): return error.isTransient ? .temporaryFailure : .software
        case .compression: return .software
        case .io: return .ioError
        }
    }

    var description: String {
        switch self {
        case .noInput(let path, let reason): return "\(path): \(reason)"
        case .badData(let file, let error): return error.located(in: file)
        case .emptyFile(let file): return "\(file): no image rows to load"
        case .database(let error): return error.description
        case .compression(let error): return "compression failed: \(error)"
        case .io(let message): return message
        }
    }
}
