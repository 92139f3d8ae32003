import FastCGI
import FramesCore
import Glibc
import ProcessSupport

/// Answers requests until the pool stops this worker; the status is the process's exit status.
func serve(_ configuration: ResponderConfiguration) -> SysExit {
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
    let counters = SharedCounters(stateDirectory: configuration.stateDirectory, metricsDirectory: configuration.metricsDirectory)
    let streams = StreamPlaces(limit: configuration.maxStreams, counters: counters)
    let buckets = configuration.authRequired ? SharedKeyBuckets(stateDirectory: configuration.stateDirectory) : nil
    if let buckets { counters?.companionFiles.append((name: "frames_keys.prom", text: buckets.prometheusText)) }
    let handler: RequestHandler
    do {
        handler = try RequestHandler(database: database, colormaps: colormaps, cacheMaxAge: configuration.cacheMaxAge,
                                     pngLevel: configuration.pngLevel, streams: streams,
                                     streamSeconds: Double(configuration.streamTimeout),
                                     authenticator: buckets.map {
                                         KeyAuthenticator(database: database, cacheSeconds: Double(configuration.keyCacheSeconds),
                                                          buckets: $0, rateDefaults: configuration.rateDefaults)
                                     },
                                     crossOrigin: configuration.crossOrigin)
    } catch {
        Log.error("cannot set up zlib", ["error": .string("\(error)")])
        return .software
    }
    let responder: FastCGIResponder
    do {
        responder = try FastCGIResponder()
    } catch {
        Log.error("cannot serve FastCGI on fd 0 (start me with spawn-fcgi)", ["error": .string("\(error)")])
        return .software
    }
    Log.info("worker ready", ["pid": .int(Int(getpid())), "colormaps": .int(colormaps.names.count),
                              "auth": .string(configuration.authRequired ? "required" : "off")])
    var status = SysExit.ok
    var recycling = WorkerRecycling(maxRequests: configuration.maxRequests, maxResidentMB: configuration.maxResidentMB)
    do {
        while try responder.accept() {
            let started = Clock.monotonicSeconds
            counters?.sampleQueueAtAccept()
            let request = IncomingRequest(parameter: responder.param)
            RequestWatchdog.requestStarted()
            counters?.markBusy(true)
            let summary = handler.handle(request, sink: FastCGISink(responder))
            let overran = RequestWatchdog.requestFinished()
            counters?.markBusy(false)
            streams.release()
            responder.finish()
            let seconds = Clock.monotonicSeconds - started
            counters?.record(summary, seconds: seconds)
            counters?.recordDatabase(errors: database.errors, reconnects: database.reconnects)
            counters?.publishIfDue()
            Log.info("request", ["method": .string(request.method), "path": .string(request.path),
                                 "status": .int(summary.status), "duration_ms": .double((seconds * 1e6).rounded() / 1e3),
                                 "frames": .int(summary.frames), "bytes": .int(summary.bytes),
                                 "key": .string(summary.keyName ?? ""), "request_id": .string(request.requestID ?? "")])
            if overran {
                Log.error("request ran past FRAMES_REQUEST_TIMEOUT and its statement was cancelled; the worker exits",
                          ["seconds": .int(configuration.requestTimeout), "path": .string(request.path),
                           "request_id": .string(request.requestID ?? "")])
                status = .software
                break
            }
            if let reason = recycling.recordRequest() {
                // The response is complete; requests waiting on the shared socket go to the other workers
                // until multiwatch has started this one's successor.
                Log.info("worker recycled", ["reason": .string(reason)])
                break
            }
        }
    } catch {
        // multiwatch starts a replacement; the log says why this one went.
        Log.error("cannot accept connections; worker exits", ["error": .string("\(error)")])
        status = .osError
    }
    counters?.publishIfDue(force: true)
    Log.info("worker stopping", ["pid": .int(Int(getpid()))])
    return status
}
