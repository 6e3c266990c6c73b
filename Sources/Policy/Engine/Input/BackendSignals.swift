/// What is known about one backend at an evaluation: whether its last scrape succeeded and the
/// value of each policy signal for it.
package struct BackendSignals: Sendable, Hashable, Codable {
    /// The `up` series: `true` if the last scrape succeeded, `nil` if it was never scraped.
    package var up: Bool?
    /// Signal name to its latest sample for this backend; a signal without a value is absent.
    package var values: [String: SignalSample]
    /// How many scrapes in a row have had the current `up` value, when the caller counts them
    /// (the daemon's collector does): `unhealthy_after`/`healthy_after` then count scrapes, as
    /// HAProxy's `fall`/`rise` count checks, however often the pool is evaluated. Without it
    /// (replay), they count evaluations.
    package var upStreak: Int?

    /// Creates a backend's signals.
    package init(up: Bool? = true, values: [String: SignalSample] = [:], upStreak: Int? = nil) {
        self.up = up
        self.values = values
        self.upStreak = upStreak
    }

    /// The sample of `signal`, if present. A backend carries a handful of signals, and comparing
    /// that many short names is cheaper than hashing one, which matters at 100 backends × several
    /// signals per evaluation.
    func sample(of signal: String) -> SignalSample? {
        guard values.count <= 8 else { return values[signal] }
        for (name, sample) in values where name == signal {
            return sample
        }
        return nil
    }

    /// The usable value of `signal`: present and not NaN.
    func value(of signal: String) -> Double? {
        guard let sample = sample(of: signal), !sample.value.isNaN else { return nil }
        return sample.value
    }
}
