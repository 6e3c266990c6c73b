import Apply
import Foundation
import Logging
import Policy
import TestSupport

// Decision → proxy carrying it, for the nginx and HAProxy appliers, each beside the least a peer
// tool does in the same run (scripts/bench/apply.sh):
//   nginx:   Ballast's apply (render, atomic write, `nginx -t`, `nginx -s reload`) until the
//            reload is complete (the old worker has exited, so every new connection sees the new
//            upstream), against writing the file and `nginx -s reload` alone (what
//            consul-template does) until the same point;
//   HAProxy: Ballast's apply (read `show servers state`, `set server ... weight`, read back)
//            until it returns, against sending the one `set server ... weight` command alone.
// Prints p50/p99 in milliseconds and the ratio of each to its peer.
let runs = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 100 : 100
let logger = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
let wallClock: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }

func percentile(_ values: [Double], _ p: Double) -> Double {
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
}

func milliseconds(since start: ContinuousClock.Instant) -> Double {
    Double((ContinuousClock.now - start).components.attoseconds) / 1e15 + Double((ContinuousClock.now - start).components.seconds) * 1000
}

func report(_ name: String, ours: [Double], peer: [Double], peerName: String) {
    let line = [
        "\(name): ballast p50 \(String(format: "%.1f", percentile(ours, 0.5))) ms p99 \(String(format: "%.1f", percentile(ours, 0.99))) ms",
        "\(peerName) p50 \(String(format: "%.1f", percentile(peer, 0.5))) ms p99 \(String(format: "%.1f", percentile(peer, 0.99))) ms",
        "ratio p50 \(String(format: "%.2f", percentile(ours, 0.5) / percentile(peer, 0.5)))×",
    ]
    print(line.joined(separator: "; "))
}

func routing(_ ports: [Int], _ weights: [Int]) throws -> [BackendRouting] {
    try zip(ports, weights).map { BackendRouting(address: try BackendAddress(parsing: "127.0.0.1:\($0)"), weight: $1, state: .serving) }
}

do {
    let nginx = try NginxPeer(upstream: { ports in "upstream web {\n    server 127.0.0.1:\(ports[0]);\n    server 127.0.0.1:\(ports[1]);\n}\n" })
    let settings = NginxApply(
        file: nginx.upstreamFile,
        upstream: "web",
        test: nginx.testCommand,
        reload: nginx.reloadCommand,
        minReloadInterval: .zero
    )
    let applier = NginxApplier(
        policy: PoolPolicy(pool: "web", backends: BackendSource()),
        settings: settings,
        directory: nil,
        logger: logger,
        clock: wallClock
    )
    var ours: [Double] = []
    var peer: [Double] = []
    for run in 0..<runs {
        let weights = [1 + run % 7, 1 + (run + 3) % 5]
        let reloads = nginx.reloadsCompleted
        var start = ContinuousClock.now
        _ = try await applier.apply(RoutingChange(pool: "web", routing: try routing(Array(nginx.backendPorts.prefix(2)), weights), decisions: []))
        try nginx.waitForReloads(reloads + 1)
        ours.append(milliseconds(since: start))

        let text = NginxUpstream(policy: PoolPolicy(pool: "web", backends: BackendSource()), nginx: settings)
            .render(try routing(Array(nginx.backendPorts.prefix(2)), [weights[1], weights[0]]))
        start = ContinuousClock.now
        try text.write(toFile: nginx.upstreamFile, atomically: false, encoding: .utf8)
        let reload = Process()
        reload.executableURL = URL(fileURLWithPath: NginxPeer.path)
        reload.arguments = ["-s", "reload", "-c", nginx.config]
        reload.standardError = FileHandle.nullDevice
        try reload.run()
        reload.waitUntilExit()
        try nginx.waitForReloads(reloads + 2)
        peer.append(milliseconds(since: start))
    }
    report("nginx (decision -> reload complete)", ours: ours, peer: peer, peerName: "write + nginx -s reload")

    let haproxy = try HAProxyPeer()
    let haproxyApplier = HAProxyApplier(
        policy: PoolPolicy(pool: "web", backends: BackendSource()),
        settings: HAProxyApply(endpoint: .socket(haproxy.socket), backend: "web"),
        directory: nil,
        logger: logger,
        clock: wallClock
    )
    let client = HAProxyRuntimeClient(endpoint: .socket(haproxy.socket), timeout: .seconds(2))
    ours = []
    peer = []
    for run in 0..<runs {
        var start = ContinuousClock.now
        _ = try await haproxyApplier.apply(
            RoutingChange(pool: "web", routing: try routing(Array(haproxy.backendPorts.prefix(2)), [1 + run % 7, 2]), decisions: [])
        )
        ours.append(milliseconds(since: start))
        start = ContinuousClock.now
        _ = try await client.send("set server web/s1 weight \(1 + (run + 1) % 7)")
        peer.append(milliseconds(since: start))
    }
    report("haproxy (decision -> command acknowledged)", ours: ours, peer: peer, peerName: "one set server command")
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(1)
}
