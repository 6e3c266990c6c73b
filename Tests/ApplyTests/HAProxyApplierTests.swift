import Foundation
import Logging
import Policy
import TestSupport
import Testing

@testable import Apply

@Suite(.serialized) struct HAProxyApplierTests {
    private func applier(_ peer: HAProxyPeer, settings: HAProxyApply? = nil, balance: BalanceAlgorithm = .roundRobin) -> HAProxyApplier {
        HAProxyApplier(
            policy: PoolPolicy(pool: "web", backends: BackendSource(), balance: balance),
            settings: settings ?? HAProxyApply(endpoint: .socket(peer.socket), backend: "web", drainTimeout: .seconds(5)),
            directory: nil,
            logger: Logger(label: "test"),
            clock: { Int64(Date().timeIntervalSince1970 * 1000) }
        )
    }

    private func client(_ peer: HAProxyPeer) -> HAProxyRuntimeClient {
        HAProxyRuntimeClient(endpoint: .socket(peer.socket), timeout: .seconds(2))
    }

    private func change(
        _ peer: HAProxyPeer,
        _ weights: [Int],
        states: [BackendRouting.State] = [.serving, .serving, .serving]
    ) throws -> RoutingChange {
        let routing = try zip(peer.backendPorts, zip(weights, states)).map { port, pair in
            BackendRouting(address: try BackendAddress(parsing: "127.0.0.1:\(port)"), weight: pair.0, state: pair.1)
        }
        return RoutingChange(pool: "web", routing: routing, decisions: [])
    }

    private func servers(_ peer: HAProxyPeer) async throws -> [String: HAProxyServerState] {
        let states = try HAProxyServerState.parse(try await client(peer).send("show servers state web"), backend: "web")
        return Dictionary(uniqueKeysWithValues: states.map { ($0.name, $0) })
    }

    @Test func weightsAreSetReadBackAndCarried() async throws {
        try #require(HAProxyPeer.isInstalled, "haproxy is not installed (apt-get install haproxy)")
        let peer = try HAProxyPeer()
        #expect(try await applier(peer).apply(try change(peer, [3, 1])) == .carried)
        let servers = try await servers(peer)
        #expect(servers["s1"]?.weight == 3)
        #expect(servers["s2"]?.weight == 1)
        #expect(HTTPProbe.tally(port: peer.proxyPort, count: 40) == ["b1": 30, "b2": 10])
    }

    @Test func ejectedIsMaintenanceAndDrainedIsDrainAndNeitherGetsTraffic() async throws {
        try #require(HAProxyPeer.isInstalled, "haproxy is not installed (apt-get install haproxy)")
        let peer = try HAProxyPeer()
        _ = try await applier(peer).apply(try change(peer, [5, 5], states: [.serving, .ejected]))
        #expect(try await servers(peer)["s2"]?.state == .maint)
        #expect(HTTPProbe.tally(port: peer.proxyPort, count: 10) == ["b1": 10])
        _ = try await applier(peer).apply(try change(peer, [5, 5], states: [.drained, .serving]))
        let servers = try await servers(peer)
        #expect(servers["s1"]?.state == .drain)
        #expect(servers["s2"]?.state == .ready)
        #expect(HTTPProbe.tally(port: peer.proxyPort, count: 10) == ["b2": 10])
    }

    @Test func driftMadeByHandIsRepaired() async throws {
        try #require(HAProxyPeer.isInstalled, "haproxy is not installed (apt-get install haproxy)")
        let peer = try HAProxyPeer()
        let applier = applier(peer)
        _ = try await applier.apply(try change(peer, [4, 2]))
        _ = try await client(peer).send("set server web/s1 weight 9")
        _ = try await client(peer).send("set server web/s2 state maint")
        let plan = try await applier.plan(try change(peer, [4, 2]))
        // Commands come in address order, and the peer's ports are random.
        #expect(Set(plan.split(separator: "\n")) == ["set server web/s1 weight 4", "set server web/s2 state ready"])
        _ = try await applier.apply(try change(peer, [4, 2]))
        let servers = try await servers(peer)
        #expect(servers["s1"]?.weight == 4)
        #expect(servers["s2"]?.state == .ready)
        #expect(try await applier.plan(try change(peer, [4, 2])) == "haproxy web: already as desired")
    }

    @Test func aNewBackendIsAddedAndOneThatLeavesIsDrainedAndDeleted() async throws {
        try #require(HAProxyPeer.isInstalled, "haproxy is not installed (apt-get install haproxy)")
        let peer = try HAProxyPeer()
        let applier = applier(peer)
        #expect(try await applier.plan(try change(peer, [1, 1, 2])).contains("add server web/ballast_127.0.0.1:\(peer.backendPorts[2])"))
        #expect(try await applier.apply(try change(peer, [1, 1, 2])) == .carried)
        let added = try #require(try await servers(peer)["ballast_127.0.0.1:\(peer.backendPorts[2])"])
        #expect(added.weight == 2)
        #expect(added.state == .ready)
        #expect(HTTPProbe.tally(port: peer.proxyPort, count: 40) == ["b1": 10, "b2": 10, "b3": 20])
        // b3 leaves the pool: drained, then (no connections) in maintenance and deleted.
        var outcome = try await applier.apply(try change(peer, [1, 1]))
        for _ in 0..<50 where outcome != .carried {
            try await Task.sleep(for: .milliseconds(100))
            outcome = try await applier.apply(try change(peer, [1, 1]))
        }
        #expect(outcome == .carried)
        #expect(try await servers(peer).keys.sorted() == ["s1", "s2"])
        #expect(HTTPProbe.tally(port: peer.proxyPort, count: 10) == ["b1": 5, "b2": 5])
    }

    @Test func addingAndDeletingAServerUnderLoadLosesNoRequest() async throws {
        try #require(HAProxyPeer.isInstalled, "haproxy is not installed (apt-get install haproxy)")
        let peer = try HAProxyPeer()
        let applier = applier(peer)
        _ = try await applier.apply(try change(peer, [1, 1]))
        let load = HTTPLoad(port: peer.proxyPort)
        for _ in 0..<3 {
            _ = try await applier.apply(try change(peer, [1, 1, 1]))
            try await Task.sleep(for: .milliseconds(100))
            var outcome = try await applier.apply(try change(peer, [1, 1]))
            while outcome != .carried {
                try await Task.sleep(for: .milliseconds(50))
                outcome = try await applier.apply(try change(peer, [1, 1]))
            }
        }
        let (ok, failed) = load.stop()
        #expect(failed == 0)
        #expect(ok > 50)
    }

    @Test func aBackendGivenByHostNameIsAddedOnceAndMatchedAfterwards() async throws {
        try #require(HAProxyPeer.isInstalled, "haproxy is not installed (apt-get install haproxy)")
        let peer = try HAProxyPeer()
        let applier = applier(peer)
        var change = try change(peer, [1, 1])
        change.routing.append(BackendRouting(address: try BackendAddress(parsing: "localhost:\(peer.backendPorts[2])"), weight: 2, state: .serving))
        #expect(try await applier.apply(change) == .carried)
        #expect(try await applier.apply(change) == .carried)
        let added = try #require(try await servers(peer)["ballast_localhost:\(peer.backendPorts[2])"])
        #expect(added.weight == 2)
        #expect(try await applier.plan(change) == "haproxy web: already as desired")
    }

    @Test func aPeerThatTricklesItsAnswerIsCutOffAtTheTimeout() async throws {
        let directory = try TemporaryDirectory()
        let socket = directory.file("trickle.sock")
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        server.arguments = [
            "-c",
            "import socket, time, sys\ns = socket.socket(socket.AF_UNIX)\ns.bind(sys.argv[1])\ns.listen(1)\nc, _ = s.accept()\n"
                + "while True:\n    c.send(b'x')\n    time.sleep(0.1)\n",
            socket,
        ]
        try server.run()
        defer { server.terminate() }
        while !FileManager.default.fileExists(atPath: socket) { try await Task.sleep(for: .milliseconds(10)) }
        let client = HAProxyRuntimeClient(endpoint: .socket(socket), timeout: .milliseconds(300))
        await #expect(throws: HAProxyError.self) { _ = try await client.send("show servers state web") }
    }

    @Test func aServerThePoolHadBeforeARestartIsDrainedWhenItLeaves() async throws {
        try #require(HAProxyPeer.isInstalled, "haproxy is not installed (apt-get install haproxy)")
        let peer = try HAProxyPeer()
        // A fresh applier (the daemon restarted) learns the persisted routing, then s2 leaves.
        let restarted = applier(peer)
        await restarted.remember(try change(peer, [1, 1]).routing)
        var outcome = try await restarted.apply(try change(peer, [1]))
        for _ in 0..<50 where outcome != .carried {
            try await Task.sleep(for: .milliseconds(100))
            outcome = try await restarted.apply(try change(peer, [1]))
        }
        #expect(try await servers(peer)["s2"]?.state == .maint)
        #expect(HTTPProbe.tally(port: peer.proxyPort, count: 10) == ["b1": 10])
        // A server the pool never had stays as haproxy.cfg has it.
        let unaware = applier(peer)
        _ = try await unaware.apply(try change(peer, [1]))
        #expect(try await servers(peer)["s2"]?.state == .maint)
    }

    @Test func anUnknownBackendIsReported() async throws {
        try #require(HAProxyPeer.isInstalled, "haproxy is not installed (apt-get install haproxy)")
        let peer = try HAProxyPeer()
        let wrongBackend = applier(peer, settings: HAProxyApply(endpoint: .socket(peer.socket), backend: "nope"))
        await #expect(throws: HAProxyError.self) { _ = try await wrongBackend.apply(try self.change(peer, [1, 1])) }
    }

    @Test func theFragmentIsWrittenCheckedAndRestoredWhenRefused() async throws {
        try #require(HAProxyPeer.isInstalled, "haproxy is not installed (apt-get install haproxy)")
        let peer = try HAProxyPeer()
        let fragment = peer.directory.file("web.cfg")
        let minimal = try peer.directory.write(
            "minimal.cfg",
            "defaults\n    mode http\n    timeout connect 1s\n    timeout client 1s\n    timeout server 1s\nfrontend f\n    bind 127.0.0.1:1\n    default_backend web\n"
        )
        let accepting = HAProxyApply(
            endpoint: .socket(peer.socket),
            backend: "web",
            fragment: fragment,
            check: [HAProxyPeer.path, "-c", "-q", "-f", minimal, "-f", fragment]
        )
        _ = try await applier(peer, settings: accepting, balance: .leastConn).apply(try change(peer, [3, 1]))
        let written = try String(contentsOfFile: fragment, encoding: .utf8)
        #expect(written.contains("backend web\n    balance leastconn\n"))
        #expect(written.contains("    server ballast_127.0.0.1:\(peer.backendPorts[0]) 127.0.0.1:\(peer.backendPorts[0]) weight 3 check\n"))
        // Checked together with the peer's own config, which defines backend web too: refused.
        var refusing = accepting
        refusing.check = [HAProxyPeer.path, "-c", "-q", "-f", peer.config, "-f", fragment]
        await #expect(throws: HAProxyError.self) {
            _ = try await self.applier(peer, settings: refusing, balance: .roundRobin).apply(try self.change(peer, [2, 1]))
        }
        #expect(try String(contentsOfFile: fragment, encoding: .utf8) == written)
    }

    @Test func aCommandCannotCarryASecondOne() async throws {
        let client = HAProxyRuntimeClient(endpoint: .socket("/nonexistent"), timeout: .seconds(1))
        for hostile in ["show info\nshutdown frontend main", "show info; shutdown frontend main", "show info\r"] {
            await #expect(throws: HAProxyError.self) { _ = try await client.send(hostile) }
        }
    }
}
