import ProcessSupport

/// A progress bar on stderr, drawn only when a person is watching (stderr is a terminal).
final class ProgressReporter {
    private let label: String
    private var lastDrawn = 0.0

    init?(label: String) {
        guard StandardError.isTerminal else { return nil }
        self.label = label
    }

    func update(done: Int, total: Int) {
        let now = Clock.monotonicSeconds
        guard now - lastDrawn >= 0.1, total > 0 else { return }
        lastDrawn = now
        let fraction = min(1, Double(done) / Double(total))
        let filled = Int(fraction * 30)
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: 30 - filled)
        StandardError.writeRaw("\r\(label) [\(bar)] \(Int(fraction * 100))%")
    }

    func finish() { StandardError.writeRaw("\r\u{1B}[K") }
}
