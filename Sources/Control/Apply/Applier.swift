package import Logging
package import Policy

/// A pool's desired routing, handed to an applier: every backend's weight and state, and the
/// decisions that changed it (for logs and hooks).
package struct RoutingChange: Sendable {
    package var pool: String
    package var routing: [BackendRouting]
    package var decisions: [Decision]

    package init(pool: String, routing: [BackendRouting], decisions: [Decision]) {
        self.pool = pool
        self.routing = routing
        self.decisions = decisions
    }
}

/// Makes a proxy carry out a pool's routing (nginx, the HAProxy Runtime API, an exec hook). The
/// control loop keeps what the engine wants (desired) apart from what an applier last confirmed
/// (applied): a failed `apply` leaves the applied routing as it was, is reported, and is retried
/// at the next evaluation, so the engine never believes traffic moved when it did not.
package protocol Applier: Sendable {
    /// A short name for status and logs (`log`, `nginx`, `haproxy`).
    var name: String { get }
    /// Applies `change`; returns when the proxy carries it, throws when it does not.
    func apply(_ change: RoutingChange) async throws
}

/// Applies nothing and logs what it would do: a policy without an `apply` section, and every
/// pool under `ballast run --dry-run`.
package struct LoggingApplier: Applier {
    package let name = "log"
    private let logger: Logger

    package init(logger: Logger) {
        self.logger = logger
    }

    package func apply(_ change: RoutingChange) async throws {
        let routing = change.routing.map { "\($0.address)=\($0.weight)(\($0.state.rawValue))" }.joined(separator: " ")
        logger.info("routing (not applied: no applier)", metadata: ["pool": "\(change.pool)", "routing": "\(routing)"])
    }
}
