/// How fast one key may send requests: `rate` a second on average, up to `burst` at once.
public struct RateLimit: Equatable, Sendable {
    public var rate: Double
    public var burst: Int

    public init(rate: Double, burst: Int) {
        self.rate = rate
        self.burst = burst
    }

    /// The service's settings for keys made without `--rate` or `--burst`.
    public struct Defaults: Equatable, Sendable {
        /// Requests a second; 0: keys without a rate of their own are not limited.
        public var rate: Double
        /// nil: twice the key's rate.
        public var burst: Int?

        public init(rate: Double, burst: Int?) {
            self.rate = rate
            self.burst = burst
        }
    }

    /// The limit `key` is held to; nil when it has no rate and the service sets none. A burst of twice
    /// the rate lets a client that paces itself at the rate absorb one second of jitter without a 429.
    public init?(of key: KeyCredentials, defaults: Defaults) {
        self.init(rate: key.rate, burst: key.burst, defaults: defaults)
    }

    /// The limit of a caller with this rate and burst of its own (nil: the defaults'); an access token's
    /// subject has none of its own.
    public init?(rate: Double?, burst: Int?, defaults: Defaults) {
        let rate = rate ?? defaults.rate
        guard rate > 0 else { return nil }
        self.rate = rate
        self.burst = burst ?? defaults.burst ?? max(1, Int((2 * rate).rounded(.up)))
    }
}
