import Foundation

/// Everything the demo runs, on loopback, configured in one temp directory: the sim backends,
/// nginx or HAProxy in front of them, and `ballast run` with the demo pool's policy. Stopping it stops
/// every process it or the scale hook started.
package actor DemoStack {
    /// A started sim backend, by its name on screen.
    package struct Backend: Sendable {
        package var name: String
        package var port: Int
        package var process: ChildProcess
        package var address: String { "127.0.0.1:\(port)" }
    }

    package let directory: String
    package let ballast: String
    package let proxy: DemoProxy
    package private(set) var backends: [Backend] = []
    package private(set) var proxyPort = 0
    package private(set) var apiPort = 0
    private var processes: [ChildProcess] = []

    /// `ballast` is this executable (the daemon, the sim backends and the scale hook are it too).
    package init(ballast: String, proxy: DemoProxy) throws {
        var template = Array("/tmp/ballast-demo.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw DemoError("cannot create a temp directory in /tmp") }
        directory = String(cString: made)
        // nginx's workers run as an unprivileged user when the demo runs as root.
        chmod(directory, 0o755)
        self.ballast = ballast
        self.proxy = proxy
    }

    package var policyFile: String { directory + "/web.yaml" }
    package var nginxConfig: String { directory + "/nginx.conf" }

    /// Starts the backends, nginx and the daemon, each once the previous answers.
    package func start() async throws {
        for backend in DemoScenario.active + [DemoScenario.standby] {
            try await startBackend(backend)
        }
        proxyPort = try LoopbackPort.free()
        let proxyProcess: ChildProcess
        switch proxy {
        case .nginx(let nginx):
            try write("upstream.template", NginxFront.upstreamTemplate)
            try write("web.upstream.conf", initialUpstream)
            try write("nginx.conf", NginxFront.config(directory: directory, proxyPort: proxyPort))
            proxyProcess = try launch([nginx, "-c", nginxConfig], name: "proxy", log: "proxy.log")
        case .haproxy(let haproxy):
            try write("haproxy.cfg", haproxyConfig)
            proxyProcess = try launch([haproxy, "-db", "-f", directory + "/haproxy.cfg"], name: "proxy", log: "proxy.log")
        }
        guard await LoopbackPort.waitUntilListening(proxyPort, process: proxyProcess) else {
            throw DemoError("\(proxy.name) did not start; see \(directory)/proxy.log")
        }
        try write("web.yaml", policyText)
        apiPort = try LoopbackPort.free()
        let daemon = try launch(
            [
                ballast, "run", "--policy", policyFile, "--db", directory + "/ballast.db", "--listen", "127.0.0.1:\(apiPort)", "--log-level",
                "warning",
            ],
            name: "ballast run",
            log: "ballast.log"
        )
        guard await LoopbackPort.waitUntilListening(apiPort, process: daemon, limit: .seconds(30)) else {
            throw DemoError("ballast run did not start; see \(directory)/ballast.log")
        }
    }

    /// The backend the story calls `name`.
    package func backend(named name: String) -> Backend? {
        backends.first { $0.name == name }
    }

    /// Kills a backend at once, as a crashed host.
    package func kill(_ name: String) {
        backend(named: name)?.process.send(SIGKILL)
    }

    /// Stops the daemon first (so no hook starts a backend after), then nginx, then every
    /// backend, the scale hook's included.
    package func stop() async {
        for process in processes.reversed() where process.name == "ballast run" {
            await process.stop(grace: .seconds(10))
        }
        for process in processes.reversed() where process.name != "ballast run" {
            await process.stop()
        }
        // Not our children (they live in sessions of their own): SIGTERM, then SIGKILL after 3 s.
        let started = DemoScaleHook.started(in: directory).map(\.pid)
        for pid in started { Foundation.kill(pid, SIGTERM) }
        let deadline = ContinuousClock.now + .seconds(3)
        while started.contains(where: { Foundation.kill($0, 0) == 0 }), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        for pid in started { Foundation.kill(pid, SIGKILL) }
        processes = []
    }

    /// Removes the directory (logs, store, configuration).
    package func removeDirectory() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func startBackend(_ backend: DemoScenario.Backend) async throws {
        let port = try LoopbackPort.free()
        let process = try launch(
            [ballast, "sim-backend", "--listen", "127.0.0.1:\(port)", "--capacity", "\(backend.capacity)", "--latency-ms", "\(backend.latencyMs)"],
            name: backend.name,
            log: "sim-\(backend.name).log"
        )
        guard await LoopbackPort.waitUntilListening(port, process: process) else {
            throw DemoError("sim backend \(backend.name) did not start; see \(directory)/sim-\(backend.name).log")
        }
        backends.append(Backend(name: backend.name, port: port, process: process))
    }

    private func launch(_ argv: [String], name: String, log: String) throws -> ChildProcess {
        let process = try ChildProcess.spawn(argv, name: name, log: directory + "/" + log)
        processes.append(process)
        return process
    }

    private func write(_ name: String, _ text: String) throws {
        try text.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
    }

    private var active: [Backend] { backends.filter { $0.name != DemoScenario.standby.name } }
    private var standby: [Backend] { backends.filter { $0.name == DemoScenario.standby.name } }

    /// What an operator had before Ballast: every active backend with equal weight.
    private var initialUpstream: String {
        "upstream web {\n" + active.map { "    server \($0.address);\n" }.joined() + standby.map { "    server \($0.address) backup;\n" }.joined()
            + "    keepalive 64;\n}\n"
    }

    /// HAProxy for the pool: the standby starts at weight 0 (not `backup`, which HAProxy would
    /// only use once every active server is down); a refused connection or a full queue (503)
    /// is retried on another server, as nginx's `proxy_next_upstream` does.
    private var haproxyConfig: String {
        """
        global
            stats socket \(directory)/admin.sock mode 600 level admin
            maxconn 4096
        defaults
            mode http
            timeout connect 1s
            timeout client 30s
            timeout server 30s
            retries 2
            option redispatch
            retry-on conn-failure empty-response 503
        frontend web_front
            bind 127.0.0.1:\(proxyPort)
            default_backend web
        backend web
            balance roundrobin
        \(active.map { "    server \($0.name) \($0.address) weight 100\n" }.joined())\
        \(standby.map { "    server \($0.name) \($0.address) weight 0\n" }.joined())
        """
    }

    /// How the daemon applies decisions to the proxy.
    private var applySection: String {
        switch proxy {
        case .nginx(let nginx):
            return """
                  nginx:
                    file: \(Self.quoted(directory + "/web.upstream.conf"))
                    upstream: web
                    template: \(Self.quoted(directory + "/upstream.template"))
                    test: \(Self.list([nginx, "-t", "-q", "-c", nginxConfig]))
                    reload: \(Self.list([nginx, "-s", "reload", "-c", nginxConfig]))
                    min_reload_interval: 1s
                """
        case .haproxy:
            return """
                  haproxy:
                    socket: \(Self.quoted(directory + "/admin.sock"))
                    backend: web
                """
        }
    }

    /// The demo pool: weights follow each backend's spare capacity, replicas track 60%
    /// utilisation through the scale hook, a dead backend is ejected and the standby promoted,
    /// the proxy carries it all. Short intervals so the story fits in a minute or two.
    private var policyText: String {
        let scaled = DemoScenario.scaled
        let hook = [ballast, "demo-scale-hook", "--dir", directory, "--capacity", "\(scaled.capacity)", "--latency-ms", "\(scaled.latencyMs)"]
        return """
            # The demo pool (written by `ballast demo`).
            pool: web
            backends:
              static: \(Self.list(active.map(\.address)))
            scrape: { interval: 1s, timeout: 900ms }
            evaluation_interval: 1s
            signals:
              util: avg_over_time(backend_utilization[3s])
              error_ratio: sum by (instance) (rate(http_requests_total{code=~"5.."}[5s])) / sum by (instance) (rate(http_requests_total[5s]))
            weights: { strategy: headroom, signal: util, target: 0.8, min: 1, max: 100, smoothing: 0.5, max_step: 50%, min_change: 10%, slow_start: 5s }
            health: { unhealthy_after: 2, healthy_after: 2, eject_when: "error_ratio > 0.2", eject_for: 30s, max_ejected: 50% }
            failover: { standby: \(Self.list(standby.map(\.address))), activate_below: 80%, hold_down: 10s, failback: manual }
            scaling:
              min: 3
              max: 6
              target: { signal: util, value: 0.6, tolerance: 0.1 }
              up: { stabilization: 0s, policies: [{ percent: 100%, period: 5s }] }
              down: { stabilization: 5s, policies: [{ percent: 50%, period: 3s }] }
              hook: { exec: \(Self.list(hook)), timeout: 20s }
            apply:
            \(applySection)

            """
    }

    /// `text` as a JSON string, which YAML reads as the same string whatever it holds.
    private static func quoted(_ text: String) -> String {
        String(decoding: (try? JSONEncoder().encode(text)) ?? Data(), as: UTF8.self)
    }

    /// A YAML flow sequence of `items`, each quoted.
    private static func list(_ items: [String]) -> String {
        "[" + items.map(quoted).joined(separator: ", ") + "]"
    }
}
