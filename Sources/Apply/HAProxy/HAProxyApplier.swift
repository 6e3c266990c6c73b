package import Logging
package import Policy

/// Applies a pool's routing to HAProxy through its Runtime API: no reload, ever.
///
/// Each apply reads `show servers state` for the backend and maps the pool's backends to servers
/// by address. A backend HAProxy does not have is added (`add server`, in maintenance at its
/// weight, then health checks enabled, then ready); a server that left the pool drains until its
/// connections reach zero or `drain_timeout` passes, then goes to maintenance and, if Ballast
/// added it, is deleted. For the rest it sends `set server B/S weight N` and `set server B/S state
/// ready|drain|maint` only where the server differs from the routing (so drift made by hand is
/// repaired on the next evaluation), then reads the state back and fails unless every server
/// reads as set. A serving backend is `ready` at its weight; ejected → `maint` (no traffic, no
/// checks); drained and standby → `drain` (no new traffic, health checks keep running). Servers
/// the pool never had are left alone. With a fragment, every membership change is also written
/// to it (atomically, checked with `haproxy -c`, restored if refused) so a restart keeps it.
package actor HAProxyApplier: Applier {
    package nonisolated let name = "haproxy"
    private let settings: HAProxyApply
    private let backend: String
    private let client: HAProxyRuntimeClient
    private let fragment: HAProxyBackendFragment?
    private let fragmentPath: String?
    private let directory: String?
    private let runner: HookRunner
    private let logger: Logger
    private let clock: @Sendable () -> Int64
    /// Servers leaving the pool: when their drain must end.
    private var draining: [String: ContinuousClock.Instant] = [:]
    /// Every address this applier has routed, so a server that leaves the pool is drained (and a
    /// server the pool never had is left alone).
    private var routedBefore: Set<BackendAddress> = []
    /// The fragment text last written and accepted.
    private var writtenFragment: String?

    package init(
        policy: PoolPolicy,
        settings: HAProxyApply,
        directory: String?,
        logger: Logger,
        runner: HookRunner = HookRunner(),
        clock: @escaping @Sendable () -> Int64
    ) {
        self.settings = settings
        self.backend = settings.backend
        self.client = HAProxyRuntimeClient(endpoint: settings.endpoint, timeout: .milliseconds(settings.timeout.milliseconds))
        self.directory = directory
        self.runner = runner
        self.logger = logger
        self.clock = clock
        if let path = settings.fragment {
            self.fragmentPath = Appliers.resolve(path, against: directory)
            self.fragment = HAProxyBackendFragment(
                pool: policy.pool,
                backend: settings.backend,
                directives: policy.balance.haproxyDirectives(hash: policy.hash) ?? ["balance roundrobin"]
            )
        } else {
            self.fragmentPath = nil
            self.fragment = nil
        }
    }

    package func apply(_ change: RoutingChange) async throws -> ApplyOutcome {
        guard !change.routing.isEmpty else { throw HAProxyError.noBackends(pool: change.pool) }
        var servers = try await readServers()
        let wanted = change.routing.map(\.address)
        var membershipChanged = false
        for routing in change.routing.sorted(by: { $0.address < $1.address }) where servers.server(for: routing.address) == nil {
            try await add(routing)
            membershipChanged = true
        }
        if membershipChanged { servers = try await readServers() }
        // A server back in the pool is no longer leaving: a later exit drains it afresh.
        for address in wanted {
            if let name = servers.server(for: address)?.name { draining[name] = nil }
        }
        var pending = false
        for server in servers.others(than: wanted) where server.isOwned || wasRouted(server) {
            if try await retire(server) {
                membershipChanged = true
            } else {
                pending = true
            }
        }
        let updates = try commands(for: change, servers: servers)
        try await send(updates)
        if !updates.isEmpty {
            logger.info("haproxy updated", metadata: ["pool": "\(change.pool)", "backend": "\(backend)", "commands": "\(updates.count)"])
            try await verify(change)
        }
        routedBefore.formUnion(wanted)
        if let fragment, let fragmentPath, membershipChanged || writtenFragment == nil {
            try await write(fragment.render(change.routing), to: fragmentPath)
        }
        return pending ? .deferred(untilMilliseconds: clock() + 1000) : .carried
    }

    package func plan(_ change: RoutingChange) async throws -> String {
        guard !change.routing.isEmpty else { throw HAProxyError.noBackends(pool: change.pool) }
        let servers = try await readServers()
        var lines: [String] = []
        for routing in change.routing.sorted(by: { $0.address < $1.address }) where servers.server(for: routing.address) == nil {
            lines += addCommands(routing)
            let path = "\(backend)/\(HAProxyBackendFragment.serverName(routing.address))"
            lines.append("set server \(path) state \(Self.target(routing).mode.rawValue)")
        }
        for server in servers.others(than: change.routing.map(\.address)) where server.isOwned || wasRouted(server) {
            lines += [
                "set server \(backend)/\(server.name) state drain",
                "(when its connections reach 0) set server \(backend)/\(server.name) state maint"
                    + (server.isOwned ? "; del server \(backend)/\(server.name)" : ""),
            ]
        }
        lines += try commands(for: change, servers: servers, skippingMissing: true)
        if let fragment, let fragmentPath {
            let current = try AtomicFile.read(fragmentPath).map { String(decoding: $0, as: UTF8.self) } ?? ""
            let text = fragment.render(change.routing)
            if current != text {
                lines.append(
                    LineDiff.unified(old: current, new: text, path: fragmentPath) + "then: \(checkCommand(fragmentPath).joined(separator: " "))"
                )
            }
        }
        return lines.isEmpty ? "haproxy \(backend): already as desired" : lines.joined(separator: "\n") + "\n"
    }

    package func remember(_ routing: [BackendRouting]) async {
        routedBefore.formUnion(routing.map(\.address))
    }

    /// Reads the servers back and fails unless they match `change`.
    private func verify(_ change: RoutingChange) async throws {
        if let first = try commands(for: change, servers: try await readServers()).first {
            throw HAProxyError.refused(command: first, answer: "it did not take effect; the server reads back unchanged")
        }
    }

    /// The backend's servers as HAProxy reports them now.
    private func readServers() async throws(HAProxyError) -> HAProxyServers {
        HAProxyServers(all: try HAProxyServerState.parse(try await client.send("show servers state \(backend)"), backend: backend))
    }

    /// Whether this applier routed to the server (so it is the pool's, and leaving).
    private func wasRouted(_ server: HAProxyServerState) -> Bool {
        [server.address, server.hostAddress].contains { $0.map(routedBefore.contains) ?? false }
    }

    /// The commands that bring the backend's servers to `change`'s routing; a backend without a
    /// server is an error unless `skippingMissing` (a plan, which lists its `add server` first).
    private func commands(
        for change: RoutingChange,
        servers: HAProxyServers,
        skippingMissing: Bool = false
    ) throws(HAProxyError) -> [String] {
        var commands: [String] = []
        for routing in change.routing.sorted(by: { $0.address < $1.address }) {
            guard let server = servers.server(for: routing.address) else {
                if skippingMissing { continue }
                throw HAProxyError.noServer(backend: backend, address: routing.address)
            }
            let target = Self.target(routing)
            let path = "\(backend)/\(server.name)"
            if let weight = target.weight, server.weight != weight { commands.append("set server \(path) weight \(weight)") }
            if server.state != target.mode { commands.append("set server \(path) state \(target.mode.rawValue)") }
        }
        return commands
    }

    /// `add server` in maintenance at the backend's weight, health checks on; the routing pass
    /// that follows sets its state.
    private func addCommands(_ routing: BackendRouting) -> [String] {
        let path = "\(backend)/\(HAProxyBackendFragment.serverName(routing.address))"
        return ["add server \(path) \(routing.address) weight \(max(1, min(routing.weight, 256))) check", "enable health \(path)"]
    }

    private func add(_ routing: BackendRouting) async throws(HAProxyError) {
        let commands = addCommands(routing)
        let answer = try await client.send(commands[0])
        guard answer.contains("New server registered") else { throw HAProxyError.refused(command: commands[0], answer: answer) }
        try await send(Array(commands.dropFirst()))
        logger.notice("haproxy server added", metadata: ["backend": "\(backend)", "address": "\(routing.address)"])
    }

    /// Drains a server that left the pool; once idle or past its drain time, puts it in
    /// maintenance and deletes it if Ballast added it. Returns whether it is done.
    private func retire(_ server: HAProxyServerState) async throws(HAProxyError) -> Bool {
        let path = "\(backend)/\(server.name)"
        if server.state == .maint && !server.isOwned { return true }
        if server.state == .ready { try await send(["set server \(path) state drain"]) }
        let deadline = draining[server.name] ?? (ContinuousClock.now + .milliseconds(settings.drainTimeout.milliseconds))
        draining[server.name] = deadline
        if try await currentSessions(server.name) > 0 && ContinuousClock.now < deadline { return false }
        try await send(["set server \(path) state maint"])
        if server.isOwned {
            let answer = try await client.send("del server \(path)")
            guard answer.contains("Server deleted") else { throw HAProxyError.refused(command: "del server \(path)", answer: answer) }
        }
        draining[server.name] = nil
        logger.notice("haproxy server retired", metadata: ["backend": "\(backend)", "server": "\(server.name)"])
        return true
    }

    /// The server's current sessions (`scur` of `show stat`).
    private func currentSessions(_ name: String) async throws(HAProxyError) -> Int {
        let lines = try await client.send("show stat \(backend) 4 -1").split(whereSeparator: \.isNewline)
        guard let header = lines.first?.dropFirst(2).split(separator: ",", omittingEmptySubsequences: false),
            let nameColumn = header.firstIndex(of: "svname"), let column = header.firstIndex(of: "scur")
        else { return 0 }
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            if fields.count > max(nameColumn, column), fields[nameColumn] == name { return Int(fields[column]) ?? 0 }
        }
        return 0
    }

    /// Sends each command; `set`/`enable` commands answer nothing when they succeed.
    private func send(_ commands: [String]) async throws(HAProxyError) {
        for command in commands {
            let answer = try await client.send(command)
            if !answer.allSatisfy(\.isWhitespace) { throw HAProxyError.refused(command: command, answer: answer) }
        }
    }

    /// Writes the fragment atomically, checks the configuration with it, restores the previous
    /// file if the check refuses it.
    private func write(_ text: String, to path: String) async throws {
        guard text != writtenFragment else { return }
        let previous = try AtomicFile.read(path)
        if previous == Array(text.utf8) {
            writtenFragment = text
            return
        }
        try AtomicFile.write(Array(text.utf8), to: path)
        let failure: String?
        do {
            let result = try await runner.run(checkCommand(path), input: [], timeout: .seconds(10), directory: directory)
            failure = result.failure.map { $0 + (result.stdout.bytes.isEmpty ? "" : " " + result.stdout.logText) }
        } catch {
            failure = "\(error)"
        }
        if let failure {
            try AtomicFile.restore(previous, to: path)
            throw HAProxyError.fragmentRefused(path: path, detail: failure)
        }
        writtenFragment = text
    }

    /// The configuration check for the fragment at `path`.
    private func checkCommand(_ path: String) -> [String] {
        settings.check ?? ["haproxy", "-c", "-f", "/etc/haproxy/haproxy.cfg", "-f", path]
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

extension HAProxyServerState {
    /// Whether Ballast added the server (and may delete it).
    var isOwned: Bool { name.hasPrefix("ballast_") }
}
