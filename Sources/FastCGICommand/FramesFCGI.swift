import ArgumentParser
import CommandLineSupport
import FramesCore
import ProcessSupport

/// The command line of `frames-fcgi`, one worker of the pool that spawn-fcgi and multiwatch start. Its
/// options are the settings of `FCGISettings`, each falling back to a `FRAMES_*` variable, which is how
/// the service unit configures the workers.
public struct FramesFCGI: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "frames-fcgi",
        abstract: "Serve the image frame API over FastCGI on the socket passed as file descriptor 0.",
        discussion: """
            Started by spawn-fcgi (usually through multiwatch), which opens the socket; nginx forwards \
            requests to it. SIGTERM or SIGUSR1 lets the worker finish the request in flight, then exit.

            Exit status: 0 stopped, 64 usage, 70 no FastCGI socket on file descriptor 0, 71 accepting \
            connections failed.
            """,
        version: FramesVersion.string)

    @OptionGroup var options: SettingOptions<FCGISettings>
    @OptionGroup var dump: SettingsDump

    public init() {}

    public func run() throws {
        if dump.printIfRequested(FCGISettings()) { return }
        try serve(try settings(environment: Environment.variables)).exitIfFailed()
    }

    /// Checked in `run()`, not `validate()`, for the reason `FramesIngest.options` gives.
    func settings(environment: [String: String]) throws(ValidationError) -> ResponderConfiguration {
        let values = options.values(environment: environment), table = FCGISettings()
        return ResponderConfiguration(database: try values.database(), colormapDirectory: try values.value(of: table.colormapDirectory),
                                      metricsDirectory: try values.value(of: table.metricsDirectory),
                                      stateDirectory: try values.value(of: table.stateDirectory),
                                      cacheMaxAge: try values.value(of: table.cacheMaxAge),
                                      pngLevel: try values.value(of: table.pngLevel),
                                      maxRequests: try values.value(of: table.maxRequests),
                                      maxResidentMB: try values.value(of: table.maxResidentMB),
                                      statementTimeout: try values.value(of: table.statementTimeout),
                                      requestTimeout: try values.value(of: table.requestTimeout),
                                      streamTimeout: try values.value(of: table.streamTimeout),
                                      maxStreams: try values.value(of: table.maxStreams),
                                      authRequired: try values.value(of: table.authRequired),
                                      keyCacheSeconds: try values.value(of: table.keyCacheSeconds),
                                      rateDefaults: RateLimit.Defaults(rate: try values.value(of: table.rateDefault),
                                                                       burst: try values.value(of: table.burstDefault)),
                                      crossOrigin: try values.value(of: table.crossOrigin))
    }
}
