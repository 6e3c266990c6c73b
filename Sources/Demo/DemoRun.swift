import Collector
package import Control
import Foundation
import HTTPFetch

/// `ballast demo`: starts the stack, drives the daily-shaped load through the proxy, plays the
/// scripted events, shows the pool live in the terminal, and ends with a summary of requests,
/// latency, decisions and which beats of the story happened.
package struct DemoRun: Sendable {
    package var duration: Duration
    package var ballast: String
    package var keepDirectory: Bool
    /// `nginx` or `haproxy`; nil takes nginx if installed, else HAProxy.
    package var proxyPreference: String?
    /// Whether the output is a terminal: the table is then redrawn in place every second.
    package var interactive: Bool
    /// Writes text as it is (the demo adds the newlines).
    package var write: @Sendable (String) -> Void

    package init(
        duration: Duration,
        ballast: String,
        keepDirectory: Bool,
        proxyPreference: String?,
        interactive: Bool,
        write: @escaping @Sendable (String) -> Void
    ) {
        self.duration = duration
        self.ballast = ballast
        self.keepDirectory = keepDirectory
        self.proxyPreference = proxyPreference
        self.interactive = interactive
        self.write = write
    }

    /// Runs the demo to its end, or until the task is cancelled (Ctrl-C); stops everything it
    /// started either way. Returns the story's beats, each with whether it happened.
    @discardableResult
    package func run() async throws -> [(happened: Bool, text: String)] {
        guard let proxy = DemoProxy.find(proxyPreference) else {
            throw DemoError(
                "\(proxyPreference ?? "nginx or HAProxy") is not installed: install Debian's nginx or haproxy package (bash scripts/install-deps.sh does)"
            )
        }
        let stack = try DemoStack(ballast: ballast, proxy: proxy)
        say("==> starting 4 sim backends, \(proxy.name) and ballast run on loopback (files in \(stack.directory))")
        do {
            try await stack.start()
        } catch {
            await Task { await stack.stop() }.value
            throw error
        }
        let fetcher = HTTPFetcher()
        let beats = await play(stack: stack, fetcher: fetcher)
        await Task {
            await stack.stop()
            fetcher.shutdown()
            if !keepDirectory { await stack.removeDirectory() }
        }.value
        return beats
    }

    private func play(stack: DemoStack, fetcher: HTTPFetcher) async -> [(happened: Bool, text: String)] {
        let proxy = await stack.proxyPort
        let proxyName = stack.proxy.name
        let api = "http://127.0.0.1:\(await stack.apiPort)"
        let backends = await stack.backends
        var display = DemoDisplay(names: Dictionary(uniqueKeysWithValues: backends.map { ($0.address, $0.name) }))
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        say(
            """
            Ballast demo: pool "web" of \(backends.count - 1) sim backends (capacities \
            \(DemoScenario.active.map { "\(Int($0.capacity))" }.joined(separator: "/")) rps) and standby \
            \(DemoScenario.standby.name), behind \(proxyName) on http://127.0.0.1:\(proxy)/
              status page  \(api)/
              pool API     \(api)/api/v1/pools/web
            The story over \(Int(seconds)) s: load follows a day (200 rps, a 600 rps peak, 100 rps); \
            \(DemoScenario.events.map(\.caption).joined(separator: "; ")); Ballast reweights, scales \
            through its scale hook, ejects and promotes.
            """
        )
        let generator = LoadGenerator(url: "http://127.0.0.1:\(proxy)/", fetcher: fetcher)
        let load = Task { await generator.run { DemoScenario.load(at: Self.seconds($0) / seconds) } }
        let slowedName = DemoScenario.events.compactMap { if case .slow(let name, _) = $0.beat { name } else { nil } }.first ?? ""
        let deadName = DemoScenario.events.compactMap { if case .kill(let name) = $0.beat { name } else { nil } }.first ?? ""
        let slowed = backends.first { $0.name == slowedName }?.address ?? ""
        let dead = backends.first { $0.name == deadName }?.address ?? ""
        var story = DemoStory()
        var pending = DemoScenario.events
        var since = Int64(Date().timeIntervalSince1970 * 1000)
        var lastWeightsShown = -Double.infinity
        var lastTable = -Double.infinity
        var tableHeight = 0
        let start = ContinuousClock.now
        while !Task.isCancelled {
            let elapsed = Self.seconds(ContinuousClock.now - start)
            if elapsed >= seconds { break }
            var lines: [String] = []
            let status: PoolStatus? = await Self.get("\(api)/api/v1/pools/web", fetcher: fetcher)
            let decisions: [DecisionStatus] =
                await Self.get("\(api)/api/v1/decisions?pool=web&since=\(String(format: "%.3f", Double(since) / 1000))", fetcher: fetcher) ?? []
            let hasSlowed = pending.allSatisfy { if case .slow = $0.beat { false } else { true } }
            if let status { story.observe(status, slowed: slowed, hasSlowed: hasSlowed) }
            for decision in decisions {
                since = max(since, decision.time + 1)
                story.observe(decision, dead: dead)
                let at = Double(decision.time) / 1000 - (Date().timeIntervalSince1970 - elapsed)
                if decision.kind == "weights" {
                    guard at - lastWeightsShown >= 5 else { continue }
                    lastWeightsShown = at
                }
                for address in status?.backends.map(\.address) ?? [] { _ = display.name(address) }
                lines.append(display.decision(decision, elapsed: max(0, at)))
            }
            while let event = pending.first, elapsed >= event.at * seconds {
                pending.removeFirst()
                lines.append(String(format: "[%5.1fs] ▶ ", elapsed) + event.caption)
                switch event.beat {
                case .slow(let name, let latency):
                    if let port = backends.first(where: { $0.name == name })?.port {
                        _ = LoopbackHTTP.post(port: port, path: "/admin/config", json: "{\"latency_ms\": \(latency)}")
                    }
                case .kill(let name):
                    await stack.kill(name)
                }
            }
            let totals = generator.snapshot
            let recentSent = totals.recent.reduce(0) { $0 + $1.count } + totals.recentFailed.reduce(0, +)
            let failedShare = recentSent == 0 ? 0 : Double(totals.recentFailed.reduce(0, +)) / Double(recentSent)
            let table = display.table(
                status: status,
                elapsed: elapsed,
                offered: DemoScenario.load(at: elapsed / seconds),
                p99: generator.recentP99,
                failedShare: failedShare
            )
            if interactive {
                if tableHeight > 0 { write("\u{1B}[\(tableHeight)A\u{1B}[J") }
                say((lines + table).joined(separator: "\n"))
                tableHeight = table.count
            } else {
                if !lines.isEmpty { say(lines.joined(separator: "\n")) }
                if elapsed - lastTable >= 10 {
                    say(table.joined(separator: "\n"))
                    lastTable = elapsed
                }
            }
            try? await Task.sleep(for: .seconds(1))
        }
        load.cancel()
        await load.value
        let beats = story.beats(slowedName: slowedName, deadName: deadName, standbyName: DemoScenario.standby.name)
        say(summary(generator.snapshot, story: story, beats: beats))
        return beats
    }

    private func summary(_ totals: LoadGenerator.Totals, story: DemoStory, beats: [(happened: Bool, text: String)]) -> String {
        let answered = totals.ok + totals.failed
        let failedShare = answered == 0 ? 0 : Double(totals.failed) / Double(answered) * 100
        func ms(_ quantile: Double) -> String { totals.latencies.quantile(quantile).map { String(format: "%.0f ms", $0 * 1000) } ?? "-" }
        let kinds = story.decisionsByKind.sorted { $0.value > $1.value }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        return """
            ==> summary
              requests   \(totals.sent) sent, \(totals.ok) ok, \(totals.failed) failed (\(String(format: "%.2f", failedShare))%)
              latency    p50 \(ms(0.5)), p99 \(ms(0.99)) (through the proxy, queueing included)
              decisions  \(kinds.isEmpty ? "none" : kinds)
              story
            """ + beats.map { "\n    \($0.happened ? "✓" : "✗") \($0.text)" }.joined()
    }

    private func say(_ text: String) {
        write(text + "\n")
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// `GET url` decoded from the API's `{"status":"success","data":...}` envelope.
    private static func get<T: Decodable>(_ url: String, fetcher: HTTPFetcher) async -> T? {
        let response = await fetcher.fetch(FetchRequest(url: url, timeoutMilliseconds: 2000, bodySizeLimit: 16 << 20, userAgent: "ballast-demo"))
        guard response.error == nil, response.status == 200 else { return nil }
        return try? JSONDecoder().decode(APIEnvelope<T>.self, from: Data(response.body)).data
    }
}

/// The API's `{"status":"success","data":...}`.
private struct APIEnvelope<T: Decodable>: Decodable {
    var data: T
}
