package import Logging
package import Policy

/// Applies a pool's routing to HAProxy through its Runtime API: no reload, ever.
///
/// Each apply reads `show servers state` for the backend, maps the pool's backends to servers by
/// address, sends `set server B/S weight N` and `set server B/S state ready|drain|maint` only where
/// the server differs from the routing (so drift made by hand is repaired on the next
/// evaluation), then reads the state back and fails unless every server reads as set. A serving
/// backend is `ready` at its weight; ejected → `maint` (no traffic, no checks); drained and
/// standby → `drain` (no new traffic, health checks keep running). Servers of the backend that
/// are not in the pool are left alone.
package struct HAProxyApplier: Applier {
    package let name = "haproxy"
    private let backend: String
    private let client: HAProxyRuntimeClient
    private let logger: Logger

    package init(settings: HAProxyApply, logger: Logger) {
        self.backend = settings.backend
        self.client = HAProxyRuntimeClient(endpoint: settings.endpoint, timeout: .milliseconds(settings.timeout.milliseconds))
        self.logger = logger
    }

    package func apply(_ change: RoutingChange) async throws -> ApplyOutcome {
        let commands = try await commands(for: change)
        for command in commands {
            let answer = try await client.send(command)
            // Successful `set server` commands answer nothing (or a blank line).
            if !answer.allSatisfy(\.isWhitespace) { throw HAProxyError.refused(command: command, answer: answer) }
        }
        if !commands.isEmpty {
            logger.info("haproxy updated", metadata: ["pool": "\(change.pool)", "backend": "\(backend)", "commands": "\(commands.count)"])
            let remaining = try await self.commands(for: change)
            if let first = remaining.first {
                throw HAProxyError.refused(command: first, answer: "it did not take effect; the server reads back unchanged")
            }
        }
        return .carried
    }

    package func plan(_ change: RoutingChange) async throws -> String {
        let commands = try await commands(for: change)
        return commands.isEmpty ? "haproxy \(backend): already as desired" : commands.joined(separator: "\n") + "\n"
    }

    /// The commands that bring the backend's servers to `change`'s routing.
    private func commands(for change: RoutingChange) async throws(HAProxyError) -> [String] {
        let servers = try HAProxyServerState.parse(try await client.send("show servers state \(backend)"), backend: backend)
        var byAddress: [BackendAddress: HAProxyServerState] = [:]
        for server in servers {
            if let address = server.address, byAddress[address] == nil { byAddress[address] = server }
        }
        var commands: [String] = []
        for routing in change.routing.sorted(by: { $0.address < $1.address }) {
            guard let server = byAddress[routing.address] else { throw HAProxyError.noServer(backend: backend, address: routing.address) }
            let target = Self.target(routing)
            let path = "\(backend)/\(server.name)"
            if let weight = target.weight, server.weight != weight { commands.append("set server \(path) weight \(weight)") }
            if server.state != target.mode { commands.append("set server \(path) state \(target.mode.rawValue)") }
        }
        return commands
    }

    /// The state and weight (unchanged when `nil`) a backend's routing maps to.
    static func target(_ routing: BackendRouting) -> (mode: HAProxyServerMode, weight: Int?) {
        switch routing.state {
        case .serving, .slowStart: routing.weight > 0 ? (.ready, min(routing.weight, 256)) : (.drain, nil)
        case .ejected: (.maint, nil)
        case .drained, .standby: (.drain, nil)
        }
    }
}
