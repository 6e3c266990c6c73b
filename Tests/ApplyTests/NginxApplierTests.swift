import Foundation
import Logging
import Policy
import TestSupport
import Testing

@testable import Apply

@Suite(.serialized) struct NginxApplierTests {
    private static func initialUpstream(_ ports: [Int]) -> String {
        "upstream web {\n    server 127.0.0.1:\(ports[0]);\n    server 127.0.0.1:\(ports[1]);\n}\n"
    }

    private func applier(_ peer: NginxPeer, upstream: String = "web", reload: [String]? = nil, minReload: PolicyDuration = .zero) -> NginxApplier {
        let settings = NginxApply(
            file: peer.upstreamFile,
            upstream: upstream,
            test: peer.testCommand,
            reload: reload ?? peer.reloadCommand,
            minReloadInterval: minReload
        )
        let policy = PoolPolicy(pool: "web", backends: BackendSource(staticAddresses: []))
        return NginxApplier(
            policy: policy,
            settings: settings,
            directory: nil,
            logger: Logger(label: "test"),
            clock: { Int64(Date().timeIntervalSince1970 * 1000) }
        )
    }

    private func change(_ peer: NginxPeer, _ weights: [Int], states: [BackendRouting.State] = [.serving, .serving]) throws -> RoutingChange {
        let routing = try zip(peer.backendPorts, zip(weights, states)).map { port, pair in
            BackendRouting(address: try BackendAddress(parsing: "127.0.0.1:\(port)"), weight: pair.0, state: pair.1)
        }
        return RoutingChange(pool: "web", routing: routing, decisions: [])
    }

    @Test func weightsAreRenderedAndCarriedByNginx() async throws {
        try #require(NginxPeer.isInstalled, "nginx is not installed (apt-get install nginx)")
        let peer = try NginxPeer(upstream: Self.initialUpstream)
        let reloads = peer.reloadsCompleted
        #expect(try await applier(peer).apply(try change(peer, [3, 1])) == .carried)
        try peer.waitForReloads(reloads + 1)
        #expect(HTTPProbe.tally(port: peer.proxyPort, count: 40) == ["b1": 30, "b2": 10])
    }

    @Test func anEjectedBackendReceivesNoTrafficAfterTheReload() async throws {
        try #require(NginxPeer.isInstalled, "nginx is not installed (apt-get install nginx)")
        let peer = try NginxPeer(upstream: Self.initialUpstream)
        let reloads = peer.reloadsCompleted
        _ = try await applier(peer).apply(try change(peer, [5, 5], states: [.serving, .ejected]))
        try peer.waitForReloads(reloads + 1)
        #expect(HTTPProbe.tally(port: peer.proxyPort, count: 20) == ["b1": 20])
        #expect(try String(contentsOfFile: peer.upstreamFile, encoding: .utf8).contains("server 127.0.0.1:\(peer.backendPorts[1]) down;"))
    }

    @Test func aRefusedTestRestoresTheFileAndLeavesNginxRunningTheOldConfig() async throws {
        try #require(NginxPeer.isInstalled, "nginx is not installed (apt-get install nginx)")
        // The rendered upstream `taken` collides with one in the main config: `nginx -t` refuses it.
        let peer = try NginxPeer(upstream: Self.initialUpstream, extraHTTP: "upstream taken { server 127.0.0.1:9; }")
        let before = try String(contentsOfFile: peer.upstreamFile, encoding: .utf8)
        let reloads = peer.reloadsCompleted
        do {
            _ = try await applier(peer, upstream: "taken").apply(try change(peer, [1, 1]))
            Issue.record("the apply succeeded although nginx -t refused the file")
        } catch let error as NginxApplyError {
            guard case .testFailed(_, let detail) = error else { throw error }
            #expect(detail.contains("duplicate upstream"))
        }
        #expect(try String(contentsOfFile: peer.upstreamFile, encoding: .utf8) == before)
        #expect(peer.reloadsCompleted == reloads)
        #expect(HTTPProbe.tally(port: peer.proxyPort, count: 10) == ["b1": 5, "b2": 5])
        #expect(try FileManager.default.contentsOfDirectory(atPath: peer.directory.path).allSatisfy { !$0.contains("ballast-") })
    }

    @Test func aFailedReloadRestoresThePreviousFile() async throws {
        try #require(NginxPeer.isInstalled, "nginx is not installed (apt-get install nginx)")
        let peer = try NginxPeer(upstream: Self.initialUpstream)
        let before = try String(contentsOfFile: peer.upstreamFile, encoding: .utf8)
        await #expect(throws: NginxApplyError.self) {
            _ = try await applier(peer, reload: ["/bin/false"]).apply(try change(peer, [2, 1]))
        }
        #expect(try String(contentsOfFile: peer.upstreamFile, encoding: .utf8) == before)
    }

    @Test func aTestCommandThatCannotStartRestoresTheFile() async throws {
        try #require(NginxPeer.isInstalled, "nginx is not installed (apt-get install nginx)")
        let peer = try NginxPeer(upstream: Self.initialUpstream)
        let before = try String(contentsOfFile: peer.upstreamFile, encoding: .utf8)
        var settings = NginxApply(file: peer.upstreamFile, upstream: "web", test: ["/nonexistent/nginx-test"], reload: peer.reloadCommand)
        settings.minReloadInterval = .zero
        let applier = NginxApplier(
            policy: PoolPolicy(pool: "web", backends: BackendSource()),
            settings: settings,
            directory: nil,
            logger: Logger(label: "test"),
            clock: { 0 }
        )
        await #expect(throws: NginxApplyError.self) { _ = try await applier.apply(try self.change(peer, [2, 1])) }
        #expect(try String(contentsOfFile: peer.upstreamFile, encoding: .utf8) == before)
    }

    @Test func aReloadThatFailsOnceIsRolledBackAndNginxReloadedOntoTheOldFile() async throws {
        try #require(NginxPeer.isInstalled, "nginx is not installed (apt-get install nginx)")
        let peer = try NginxPeer(upstream: Self.initialUpstream)
        let marker = peer.directory.file("failed-once")
        let flaky = try peer.directory.write(
            "reload.sh",
            "#!/bin/sh\n[ -f \(marker) ] || { touch \(marker); echo 'reload refused' >&2; exit 1; }\nexec \(peer.reloadCommand.joined(separator: " "))\n"
        )
        chmod(flaky, 0o755)
        let before = try String(contentsOfFile: peer.upstreamFile, encoding: .utf8)
        do {
            _ = try await applier(peer, reload: [flaky]).apply(try change(peer, [2, 1]))
            Issue.record("the apply succeeded although the reload failed")
        } catch let error as NginxApplyError {
            #expect(error.description.hasSuffix("the previous file was restored and nginx reloaded onto it"), "\(error)")
        }
        #expect(try String(contentsOfFile: peer.upstreamFile, encoding: .utf8) == before)
    }

    @Test func aUserTemplateIsRenderedTestedAndCarried() async throws {
        try #require(NginxPeer.isInstalled, "nginx is not installed (apt-get install nginx)")
        let peer = try NginxPeer(upstream: Self.initialUpstream)
        let template = try peer.directory.write("web.template", "upstream {{upstream}} {\n    {{servers}}\n    keepalive 4;\n}\n")
        var settings = NginxApply(file: peer.upstreamFile, upstream: "web", test: peer.testCommand, reload: peer.reloadCommand, template: template)
        settings.minReloadInterval = .zero
        let applier = NginxApplier(
            policy: PoolPolicy(pool: "web", backends: BackendSource()),
            settings: settings,
            directory: nil,
            logger: Logger(label: "test"),
            clock: { 0 }
        )
        let reloads = peer.reloadsCompleted
        #expect(try await applier.apply(try change(peer, [1, 3])) == .carried)
        try peer.waitForReloads(reloads + 1)
        #expect(try String(contentsOfFile: peer.upstreamFile, encoding: .utf8).contains("    keepalive 4;\n"))
        #expect(HTTPProbe.tally(port: peer.proxyPort, count: 40) == ["b1": 10, "b2": 30])
        try peer.directory.write("web.template", "upstream {{upstream}} {\n}\n")
        await #expect(throws: NginxApplyError.self) { _ = try await applier.apply(try self.change(peer, [2, 3])) }
    }

    @Test func anUnchangedRoutingIsNotWrittenOrReloadedAgain() async throws {
        try #require(NginxPeer.isInstalled, "nginx is not installed (apt-get install nginx)")
        let peer = try NginxPeer(upstream: Self.initialUpstream)
        let applier = applier(peer)
        let reloads = peer.reloadsCompleted
        _ = try await applier.apply(try change(peer, [2, 1]))
        try peer.waitForReloads(reloads + 1)
        let modified = try FileManager.default.attributesOfItem(atPath: peer.upstreamFile)[.modificationDate] as? Date
        #expect(try await applier.apply(try change(peer, [2, 1])) == .carried)
        #expect(try FileManager.default.attributesOfItem(atPath: peer.upstreamFile)[.modificationDate] as? Date == modified)
        #expect(peer.reloadsCompleted == reloads + 1)
    }

    @Test func weightMovesWaitForTheReloadIntervalButAnEjectionDoesNot() async throws {
        try #require(NginxPeer.isInstalled, "nginx is not installed (apt-get install nginx)")
        let peer = try NginxPeer(upstream: Self.initialUpstream)
        let applier = applier(peer, minReload: .seconds(3600))
        let reloads = peer.reloadsCompleted
        #expect(try await applier.apply(try change(peer, [2, 1])) == .carried)
        try peer.waitForReloads(reloads + 1)
        guard case .deferred = try await applier.apply(try change(peer, [3, 1])) else {
            Issue.record("a weight move within the reload interval was not deferred")
            return
        }
        #expect(try await applier.apply(try change(peer, [3, 1], states: [.serving, .ejected])) == .carried)
        try peer.waitForReloads(reloads + 2)
        #expect(HTTPProbe.tally(port: peer.proxyPort, count: 10) == ["b1": 10])
    }

    @Test func thePlanIsADiffAndChangesNothing() async throws {
        try #require(NginxPeer.isInstalled, "nginx is not installed (apt-get install nginx)")
        let peer = try NginxPeer(upstream: Self.initialUpstream)
        let before = try String(contentsOfFile: peer.upstreamFile, encoding: .utf8)
        let plan = try await applier(peer).plan(try change(peer, [4, 1]))
        #expect(plan.contains("-    server 127.0.0.1:\(peer.backendPorts[0]);"))
        #expect(plan.contains("+    server 127.0.0.1:\(peer.backendPorts[0]) weight=4 max_fails=1 fail_timeout=10s;"))
        #expect(plan.contains("then: \(peer.testCommand.joined(separator: " "))"))
        #expect(try String(contentsOfFile: peer.upstreamFile, encoding: .utf8) == before)
    }
}
