// End-to-end benchmarks with a real nginx, sim backends and `ballast run` on loopback
// (scripts/bench/e2e.sh):
//   balance: a heterogeneous pool (400/400/200 rps) at 80% of its capacity, open loop, through
//            nginx round robin, nginx least_conn, and nginx carrying Ballast's weights;
//   scale:   a load step on a two-backend pool: time to the scale decision, to the scale hook's
//            new backend taking traffic, and the requests failed meanwhile.
// The load is open loop (requests sent at the rate whatever the latency, as users arrive):
// Debian's wrk is closed loop and cannot hold a rate, and a closed loop hides queueing.
//   e2e-bench --ballast PATH [--rate 800] [--warmup 20] [--seconds 30] [--scenario balance|scale|all]
import Collector
import Demo
import Foundation

struct Options {
    var ballast = ""
    var nginx = DemoProxy.executable("nginx") ?? "/usr/sbin/nginx"
    var rate = 800.0
    var warmup = 20
    var seconds = 30
    var scenario = "all"

    init(_ arguments: [String]) {
        var rest = arguments.dropFirst()
        while let flag = rest.popFirst() {
            let value = rest.popFirst() ?? ""
            switch flag {
            case "--ballast": ballast = value
            case "--rate": rate = Double(value) ?? rate
            case "--warmup": warmup = Int(value) ?? warmup
            case "--seconds": seconds = Int(value) ?? seconds
            case "--scenario": scenario = value
            default: fatalError("unknown option \(flag)")
            }
        }
        precondition(!ballast.isEmpty, "--ballast PATH is required")
    }
}

/// One run's processes and files, stopped and removed at the end.
final class Bench {
    let directory: String
    let options: Options
    private var processes: [ChildProcess] = []

    init(_ options: Options) throws {
        self.options = options
        var template = Array("/tmp/ballast-e2e.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw DemoError("no temp directory") }
        directory = String(cString: made)
        chmod(directory, 0o755)
    }

    func backend(capacity: Double, latencyMs: Double = 20) async throws -> String {
        let port = try LoopbackPort.free()
        let process = try ChildProcess.spawn(
            [options.ballast, "sim-backend", "--listen", "127.0.0.1:\(port)", "--capacity", "\(capacity)", "--latency-ms", "\(latencyMs)"],
            name: "sim",
            log: "\(directory)/sim-\(port).log"
        )
        processes.append(process)
        guard await LoopbackPort.waitUntilListening(port, process: process) else { throw DemoError("sim backend on \(port) did not start") }
        return "127.0.0.1:\(port)"
    }

    /// Starts nginx over `upstream` (the text of `web.upstream.conf`); returns its port.
    func nginx(upstream: String) async throws -> Int {
        let port = try LoopbackPort.free()
        try upstream.write(toFile: "\(directory)/web.upstream.conf", atomically: true, encoding: .utf8)
        try NginxFront.upstreamTemplate.write(toFile: "\(directory)/upstream.template", atomically: true, encoding: .utf8)
        try NginxFront.config(directory: directory, proxyPort: port).write(toFile: "\(directory)/nginx.conf", atomically: true, encoding: .utf8)
        let process = try ChildProcess.spawn([options.nginx, "-c", "\(directory)/nginx.conf"], name: "nginx", log: "\(directory)/nginx.log")
        processes.append(process)
        guard await LoopbackPort.waitUntilListening(port, process: process) else { throw DemoError("nginx did not start") }
        return port
    }

    /// Starts `ballast run` over `policy`; returns its API port.
    func daemon(policy: String) async throws -> Int {
        let port = try LoopbackPort.free()
        try policy.write(toFile: "\(directory)/web.yaml", atomically: true, encoding: .utf8)
        let process = try ChildProcess.spawn(
            [
                options.ballast, "run", "--policy", "\(directory)/web.yaml", "--db", "\(directory)/b.db", "--listen", "127.0.0.1:\(port)",
                "--log-level", "error",
            ],
            name: "ballast",
            log: "\(directory)/ballast.log"
        )
        processes.append(process)
        guard await LoopbackPort.waitUntilListening(port, process: process, limit: .seconds(30)) else {
            let log = (try? String(contentsOfFile: "\(directory)/ballast.log", encoding: .utf8)) ?? ""
            throw DemoError("ballast run did not start: \(log.suffix(1500))")
        }
        return port
    }

    var nginxArguments: (test: String, reload: String) {
        let config = "\(directory)/nginx.conf"
        return ("[\"\(options.nginx)\", \"-t\", \"-q\", \"-c\", \"\(config)\"]", "[\"\(options.nginx)\", \"-s\", \"reload\", \"-c\", \"\(config)\"]")
    }

    func stop() async {
        for process in processes.reversed() { await process.stop() }
        for started in DemoScaleHook.started(in: directory) { kill(started.pid, SIGTERM) }
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// The load's outcome over a measurement window.
struct Window {
    var sent: UInt64
    var failed: UInt64
    var p50: Double
    var p99: Double
    var errorPercent: Double { sent == 0 ? 0 : Double(failed) / Double(sent) * 100 }

    init(_ totals: LoadGenerator.Totals) {
        sent = totals.ok + totals.failed
        failed = totals.failed
        p50 = (totals.latencies.quantile(0.5) ?? .nan) * 1000
        p99 = (totals.latencies.quantile(0.99) ?? .nan) * 1000
    }
}

/// Runs the load at `rate` for the warm-up, then measures for `seconds`.
func measure(port: Int, fetcher: HTTPFetcher, options: Options) async -> Window {
    let generator = LoadGenerator(url: "http://127.0.0.1:\(port)/", fetcher: fetcher)
    let rate = options.rate
    let load = Task { await generator.run { _ in rate } }
    try? await Task.sleep(for: .seconds(options.warmup))
    generator.resetCounts()
    try? await Task.sleep(for: .seconds(options.seconds))
    let window = Window(generator.snapshot)
    load.cancel()
    await load.value
    return window
}

func balance(_ options: Options, fetcher: HTTPFetcher) async throws {
    let capacities = [400.0, 400, 200]
    print(
        "== heterogeneous pool: capacities \(capacities.map { Int($0) }) rps, \(Int(options.rate)) rps offered "
            + "(\(Int(options.rate / capacities.reduce(0, +) * 100))%), \(options.warmup) s warm-up, \(options.seconds) s measured"
    )
    var results: [(String, Window)] = []
    for variant in ["round robin", "least_conn", "Ballast weights"] {
        let bench = try Bench(options)
        do {
            var servers: [String] = []
            for capacity in capacities { servers.append(try await bench.backend(capacity: capacity)) }
            let balance = variant == "least_conn" ? "    least_conn;\n" : ""
            let upstream = "upstream web {\n\(balance)" + servers.map { "    server \($0);\n" }.joined() + "    keepalive 64;\n}\n"
            let port = try await bench.nginx(upstream: upstream)
            if variant == "Ballast weights" {
                let (test, reload) = bench.nginxArguments
                _ = try await bench.daemon(
                    policy: """
                        pool: web
                        backends: {static: [\(servers.map { "\"\($0)\"" }.joined(separator: ", "))]}
                        scrape: {interval: 1s, timeout: 900ms}
                        evaluation_interval: 1s
                        signals: {util: "avg_over_time(backend_utilization[3s])"}
                        weights: {strategy: headroom, signal: util, target: 0.8, min: 1, max: 100, smoothing: 0.5, max_step: 50%, min_change: 10%}
                        apply:
                          nginx: {file: "\(bench.directory)/web.upstream.conf", upstream: web, template: "\(bench.directory)/upstream.template", test: \(test), reload: \(reload), min_reload_interval: 1s}

                        """
                )
            }
            let window = await measure(port: port, fetcher: fetcher, options: options)
            results.append((variant, window))
            let name = variant.padding(toLength: 16, withPad: " ", startingAt: 0)
            print(
                name
                    + String(
                        format: "p50 %7.1f ms   p99 %8.1f ms   errors %6.3f%%   (%llu requests)",
                        window.p50,
                        window.p99,
                        window.errorPercent,
                        window.sent
                    )
            )
        } catch {
            print("\(variant): \(error)")
        }
        await bench.stop()
    }
    guard results.count == 3 else { return }
    let (rr, lc, ballast) = (results[0].1, results[1].1, results[2].1)
    print(
        String(
            format: "Ballast p99 / round robin p99 = %.2f (target ≤ 0.5);  Ballast p99 / least_conn p99 = %.2f (target ≤ 1)",
            ballast.p99 / rr.p99,
            ballast.p99 / lc.p99
        )
    )
}

func scale(_ options: Options, fetcher: HTTPFetcher) async throws {
    let bench = try Bench(options)
    do {
        try await scale(bench, options: options, fetcher: fetcher)
    } catch {
        print("scale: \(error)")
    }
    await bench.stop()
}

func scale(_ bench: Bench, options: Options, fetcher: HTTPFetcher) async throws {
    print("== scale-out through the exec scale hook: 2 backends × 200 rps, load 150 → 500 rps")
    let servers = [try await bench.backend(capacity: 200), try await bench.backend(capacity: 200)]
    let port = try await bench.nginx(upstream: "upstream web {\n" + servers.map { "    server \($0);\n" }.joined() + "    keepalive 64;\n}\n")
    let (test, reload) = bench.nginxArguments
    let hook = "[\"\(options.ballast)\", \"demo-scale-hook\", \"--dir\", \"\(bench.directory)\", \"--capacity\", \"200\"]"
    let api = try await bench.daemon(
        policy: """
            pool: web
            backends: {static: [\(servers.map { "\"\($0)\"" }.joined(separator: ", "))]}
            scrape: {interval: 1s, timeout: 900ms}
            evaluation_interval: 1s
            signals: {util: "avg_over_time(backend_utilization[3s])"}
            weights: {strategy: headroom, signal: util, target: 0.8, min: 1, max: 100, slow_start: 5s}
            scaling:
              min: 2
              max: 6
              target: {signal: util, value: 0.6}
              up: {stabilization: 0s, policies: [{percent: 100%, period: 5s}]}
              hook: {exec: \(hook), timeout: 20s}
            apply:
              nginx: {file: "\(bench.directory)/web.upstream.conf", upstream: web, template: "\(bench.directory)/upstream.template", test: \(test), reload: \(reload), min_reload_interval: 1s}

            """
    )
    let generator = LoadGenerator(url: "http://127.0.0.1:\(port)/", fetcher: fetcher)
    let start = ContinuousClock.now
    let load = Task { await generator.run { Double($0.components.seconds) < 15 ? 150 : 500 } }
    try? await Task.sleep(for: .seconds(15))
    let step = Date().timeIntervalSince1970
    generator.resetCounts()
    var decision: Double?
    var traffic: Double?
    while ContinuousClock.now - start < .seconds(60), traffic == nil {
        try? await Task.sleep(for: .milliseconds(100))
        if decision == nil {
            let response = await fetcher.fetch(
                FetchRequest(
                    url: "http://127.0.0.1:\(api)/api/v1/decisions?pool=web&kind=scale&since=\(step)",
                    timeoutMilliseconds: 2000,
                    bodySizeLimit: 1 << 20,
                    userAgent: "e2e"
                )
            )
            if let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
                let first = (object["data"] as? [[String: Any]])?.first, let time = first["time"] as? Double
            {
                decision = time / 1000 - step
            }
        }
        for started in DemoScaleHook.started(in: bench.directory) {
            let port = Int(started.address.split(separator: ":").last ?? "") ?? 0
            let response = await fetcher.fetch(
                FetchRequest(url: "http://127.0.0.1:\(port)/metrics", timeoutMilliseconds: 1000, bodySizeLimit: 1 << 20, userAgent: "e2e")
            )
            let text = String(decoding: response.body, as: UTF8.self)
            if text.contains("http_requests_total{code=\"200\"}") {
                traffic = Date().timeIntervalSince1970 - step
                break
            }
        }
    }
    try? await Task.sleep(for: .seconds(5))
    let window = Window(generator.snapshot)
    load.cancel()
    await load.value
    print(
        String(
            format: "scale decision %.1f s after the step; first request served by a new backend %.1f s after the step",
            decision ?? .nan,
            traffic ?? .nan
        )
    )
    print(
        String(
            format: "from the step to 5 s after the new backend: p50 %.1f ms, p99 %.1f ms, errors %.3f%% of %llu",
            window.p50,
            window.p99,
            window.errorPercent,
            window.sent
        )
    )
}

let options = Options(CommandLine.arguments)
signal(SIGPIPE, SIG_IGN)
let fetcher = HTTPFetcher()
if options.scenario == "all" || options.scenario == "balance" { try await balance(options, fetcher: fetcher) }
if options.scenario == "all" || options.scenario == "scale" { try await scale(options, fetcher: fetcher) }
fetcher.shutdown()
