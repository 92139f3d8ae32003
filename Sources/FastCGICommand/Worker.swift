import FastCGI
import FramesCore
import Glibc
import ProcessSupport

/// Everything a worker answers with, wired from its configuration once, before the first accept.
struct Worker {
    let responder: FastCGIResponder
    let handler: RequestHandler
    var bookkeeping: RequestBookkeeping

    /// nil when the worker cannot serve; the log says why.
    init?(_ configuration: ResponderConfiguration) {
        var colormaps = ColormapRegistry.builtin
        if let folder = configuration.colormapDirectory {
            let loaded = ColormapRegistry.loading(builtinPlusFolder: folder, listing: Directory.names(in:),
                                                  reading: TextFile.read)
            colormaps = loaded.registry
            for problem in loaded.problems { Log.warning("colormap skipped", ["problem": .string(problem.message)]) }
        }
        let database = DatabaseSession(conninfo: configuration.database,
                                       limits: DatabaseSession.Limits(statementTimeout: configuration.statementTimeout))
        RequestWatchdog.install(seconds: configuration.requestTimeout)
        let counters = WorkerCounters(stateDirectory: configuration.stateDirectory)
        let streams = PoolStreamSlots(limit: configuration.maxStreams, counters: counters)
        let buckets = configuration.authRequired ? SharedKeyBuckets(stateDirectory: configuration.stateDirectory) : nil
        let publisher = MetricsPublisher(counters: counters, metricsDirectory: configuration.metricsDirectory,
                                         companionFiles: buckets.map { [(name: "frames_keys.prom", text: $0.prometheusText)] } ?? [])
        do {
            handler = try RequestHandler(data: database, colormaps: colormaps, cacheMaxAge: configuration.cacheMaxAge,
                                         pngLevel: configuration.pngLevel, streams: streams,
                                         streamSeconds: Double(configuration.streamTimeout),
                                         authenticator: buckets.map {
                                             KeyAuthenticator(keys: database, cacheSeconds: Double(configuration.keyCacheSeconds),
                                                              buckets: $0, rateDefaults: configuration.rateDefaults)
                                         },
                                         crossOrigin: configuration.crossOrigin)
        } catch {
            Log.error("cannot set up zlib", ["error": .string("\(error)")])
            return nil
        }
        do {
            responder = try FastCGIResponder()
        } catch {
            Log.error("cannot serve FastCGI on fd 0 (start me with spawn-fcgi)", ["error": .string("\(error)")])
            return nil
        }
        bookkeeping = RequestBookkeeping(counters: counters, publisher: publisher, streams: streams, database: database,
                                         requestTimeout: configuration.requestTimeout,
                                         recycling: WorkerRecycling(maxRequests: configuration.maxRequests,
                                                                    maxResidentMB: configuration.maxResidentMB))
        Log.info("worker ready", ["pid": .int(Int(getpid())), "colormaps": .int(colormaps.names.count),
                                  "auth": .string(configuration.authRequired ? "required" : "off")])
    }

    /// Answers the request just accepted; nil to accept the next one, else the status to exit with.
    mutating func answerAccepted() -> SysExit? {
        let request = IncomingRequest(parameter: responder.param)
        return bookkeeping.around(request, finish: responder.finish) {
            handler.handle(request, sink: FastCGISink(responder))
        }
    }

    /// The last publication, so that the pool's figures hold this worker's final requests.
    func stopping() {
        bookkeeping.publisher?.publishIfDue(force: true)
    }
}
