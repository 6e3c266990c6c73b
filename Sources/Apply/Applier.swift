package import Logging
package import Policy

/// A pool's desired routing, handed to an applier: every backend's weight and state, how the proxy
/// balances, and the decisions that changed it (for logs and hooks).
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

/// What an applier did with a change.
package enum ApplyOutcome: Sendable, Hashable {
    /// The proxy carries the routing.
    case carried
    /// Nothing failed, but the change waits (coalesced with later ones) until the wall-clock
    /// time in milliseconds, when the pool is evaluated and applied again.
    case deferred(untilMilliseconds: Int64)
}

/// Makes a proxy carry out a pool's routing (nginx, the HAProxy Runtime API, an exec hook). The
/// control loop keeps what the engine wants (desired) apart from what an applier last confirmed
/// (applied): a failed `apply` leaves the applied routing as it was, is reported, and is retried
/// at the next evaluation, so the engine never believes traffic moved when it did not.
package protocol Applier: Sendable {
    /// A short name for status and logs (`log`, `nginx`, `haproxy`).
    var name: String { get }
    /// Applies `change`; returns when the proxy carries it (or it is deferred), throws when it
    /// does not.
    func apply(_ change: RoutingChange) async throws -> ApplyOutcome
    /// What `apply` would do, without doing it: the file diff or the commands (`--dry-run`).
    func plan(_ change: RoutingChange) async throws -> String
    /// Learns the routing the pool had before this applier existed (the persisted state after a
    /// restart), so a backend that has since left the pool is still treated as the pool's.
    func remember(_ routing: [BackendRouting]) async
}

/// Applies nothing and logs what it would do: a policy without an `apply` section, and every
/// pool under `ballast run --dry-run` (where it logs the real applier's plan).
package struct LoggingApplier: Applier {
    package let name = "log"
    private let logger: Logger
    private let planner: (any Applier)?

    /// Logs the routing, and with `planner` (the pool's real applier) what it would change.
    package init(logger: Logger, planner: (any Applier)? = nil) {
        self.logger = logger
        self.planner = planner
    }

    package func apply(_ change: RoutingChange) async throws -> ApplyOutcome {
        let routing = change.routing.map { "\($0.address)=\($0.weight)(\($0.state.rawValue))" }.joined(separator: " ")
        var metadata: Logger.Metadata = ["pool": "\(change.pool)", "routing": "\(routing)"]
        if let planner {
            metadata["plan"] = "\((try? await planner.plan(change)) ?? "(the applier could not plan)")"
            logger.info("routing (dry run: not applied)", metadata: metadata)
        } else {
            logger.info("routing (not applied: no applier)", metadata: metadata)
        }
        return .carried
    }

    package func plan(_ change: RoutingChange) async throws -> String {
        try await planner?.plan(change) ?? "no applier: the policy only observes"
    }

    package func remember(_ routing: [BackendRouting]) async {
        await planner?.remember(routing)
    }
}

/// Several appliers for one pool (nginx and an exec hook), applied in order; the change is
/// carried only when every one carries it.
package struct CompositeApplier: Applier {
    package let appliers: [any Applier]
    package var name: String { appliers.map(\.name).joined(separator: "+") }

    package init(_ appliers: [any Applier]) {
        self.appliers = appliers
    }

    package func apply(_ change: RoutingChange) async throws -> ApplyOutcome {
        var outcome = ApplyOutcome.carried
        for applier in appliers {
            if case .deferred(let until) = try await applier.apply(change) {
                if case .deferred(let earlier) = outcome {
                    outcome = .deferred(untilMilliseconds: min(earlier, until))
                } else {
                    outcome = .deferred(untilMilliseconds: until)
                }
            }
        }
        return outcome
    }

    package func remember(_ routing: [BackendRouting]) async {
        for applier in appliers { await applier.remember(routing) }
    }

    package func plan(_ change: RoutingChange) async throws -> String {
        var plans: [String] = []
        for applier in appliers { plans.append("# \(applier.name)\n" + (try await applier.plan(change))) }
        return plans.joined(separator: "\n")
    }
}
