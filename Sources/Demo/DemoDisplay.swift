package import Control
import Foundation

/// The demo's terminal output: the live table of the pool, decisions with their reasons, and
/// backends called by their names (`b1`, `s1`, `n1`…) rather than loopback addresses.
package struct DemoDisplay: Sendable {
    /// Address → name; backends the scale hook starts are named `n1`, `n2`… as they appear.
    package private(set) var names: [String: String] = [:]
    private var scaledCount = 0

    package init(names: [String: String]) {
        self.names = names
    }

    /// The name of `address`, giving a new scaled backend the next `n` name.
    package mutating func name(_ address: String) -> String {
        if let name = names[address] { return name }
        scaledCount += 1
        names[address] = "n\(scaledCount)"
        return names[address]!
    }

    /// `text` with every known address replaced by its name.
    package func named(_ text: String) -> String {
        names.sorted { $0.key.count > $1.key.count }.reduce(text) { $0.replacingOccurrences(of: $1.key, with: $1.value) }
    }

    /// The table: a headline (time, load, p99, errors, replicas) and one row per backend with
    /// its tier, health, weight as a bar, the weight nginx carries and its utilisation.
    package mutating func table(status: PoolStatus?, elapsed: Double, offered: Double, p99: Double?, failedShare: Double) -> [String] {
        var lines = [
            String(
                format: "t=%3.0fs  load %4.0f rps  p99 %@  errors %.2f%%  replicas %@  serving %@",
                elapsed,
                offered,
                p99.map { String(format: "%4.0f ms", $0 * 1000) } ?? "   - ms",
                failedShare * 100,
                status?.scaling.map { $0.current == $0.desired ? "\($0.current)" : "\($0.current) → \($0.desired)" } ?? "-",
                status?.servingTier ?? "-"
            )
        ]
        guard let status else { return lines + ["  (waiting for the daemon's first evaluation)"] }
        lines.append("  backend  tier     health     state     weight                      nginx  util")
        for backend in status.backends {
            let weight = backend.desiredWeight
            let filled = min(20, Int((Double(weight) / 100 * 20).rounded()))
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: 20 - filled)
            let applied = backend.appliedWeight.map { "\($0)" } ?? "-"
            let util = backend.signals["util"].map { String(format: "%4.2f", $0) } ?? "   -"
            let state = backend.slowStartProgress.map { String(format: "ramp %2.0f%%", $0 * 100) } ?? backend.state
            lines.append(
                "  "
                    + [
                        pad(name(backend.address), 7), pad(backend.tier, 8), pad(backend.health, 10), pad(state, 9),
                        "\(bar) \(pad("\(weight)", 3))", pad(applied, 6), util,
                    ].joined(separator: " ")
            )
        }
        return lines
    }

    /// One decision: when (seconds into the demo), its kind and its reason with names.
    package func decision(_ decision: DecisionStatus, elapsed: Double) -> String {
        String(format: "[%5.1fs] ", elapsed) + pad(decision.kind, 9) + " " + named(decision.reason)
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
