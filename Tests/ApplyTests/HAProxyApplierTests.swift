import Foundation
import Logging
import Policy
import TestSupport
import Testing

@testable import Apply

@Suite(.serialized) struct HAProxyApplierTests {
    private func applier(_ peer: HAProxyPeer) -> HAProxyApplier {
        HAProxyApplier(settings: HAProxyApply(endpoint: .socket(peer.socket), backend: "web"), logger: Logger(label: "test"))
    }

    private func client(_ peer: HAProxyPeer) -> HAProxyRuntimeClient {
        HAProxyRuntimeClient(endpoint: .socket(peer.socket), timeout: .seconds(2))
    }

    private func change(_ peer: HAProxyPeer, _ weights: [Int], states: [BackendRouting.State] = [.serving, .serving]) throws -> RoutingChange {
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
        #expect(try await applier.plan(try change(peer, [4, 2])) == "set server web/s1 weight 4\nset server web/s2 state ready\n")
        _ = try await applier.apply(try change(peer, [4, 2]))
        let servers = try await servers(peer)
        #expect(servers["s1"]?.weight == 4)
        #expect(servers["s2"]?.state == .ready)
        #expect(try await applier.plan(try change(peer, [4, 2])) == "haproxy web: already as desired")
    }

    @Test func aBackendHAProxyDoesNotHaveIsReportedNotGuessed() async throws {
        try #require(HAProxyPeer.isInstalled, "haproxy is not installed (apt-get install haproxy)")
        let peer = try HAProxyPeer()
        var change = try change(peer, [1, 1])
        change.routing.append(BackendRouting(address: try BackendAddress(parsing: "127.0.0.1:1"), weight: 1, state: .serving))
        await #expect(throws: HAProxyError.self) { _ = try await applier(peer).apply(change) }
        let wrongBackend = HAProxyApplier(settings: HAProxyApply(endpoint: .socket(peer.socket), backend: "nope"), logger: Logger(label: "test"))
        await #expect(throws: HAProxyError.self) { _ = try await wrongBackend.apply(try self.change(peer, [1, 1])) }
    }

    @Test func aCommandCannotCarryASecondOne() async throws {
        let client = HAProxyRuntimeClient(endpoint: .socket("/nonexistent"), timeout: .seconds(1))
        for hostile in ["show info\nshutdown frontend main", "show info; shutdown frontend main", "show info\r"] {
            await #expect(throws: HAProxyError.self) { _ = try await client.send(hostile) }
        }
    }
}
