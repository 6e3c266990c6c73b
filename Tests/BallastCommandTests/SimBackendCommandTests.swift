import Foundation
import TestSupport
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `ballast sim-backend` run as the demo and the benchmarks run it: its capacity holds under a
/// real load generator, its metrics are what Prometheus would ingest, its behaviour changes live.
@Suite(.serialized) struct SimBackendCommandTests {
    /// A sim backend on a free port, stopped when the test ends.
    final class SimBackend {
        let process = Process()
        let port: Int

        init(_ arguments: [String]) async throws {
            port = try PrometheusPeer.freePort()
            process.executableURL = URL(fileURLWithPath: BallastProcess.binary!)
            process.arguments = ["sim-backend", "--listen", "127.0.0.1:\(port)"] + arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            for _ in 0..<200 {
                if HTTPProbe.get(port: port, path: "/admin/config") != nil { return }
                try await Task.sleep(for: .milliseconds(25))
            }
        }

        func get(_ path: String) async throws -> String {
            let (data, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)\(path)")!)
            return String(decoding: data, as: UTF8.self)
        }

        func post(_ json: String) async throws -> (Int, String) {
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/admin/config")!)
            request.httpMethod = "POST"
            request.httpBody = Data(json.utf8)
            let (data, response) = try await URLSession.shared.data(for: request)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
        }

        deinit {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// Requests per second `wrk` got from the backend in `seconds`.
    static func wrk(port: Int, seconds: Int) throws -> Double {
        let wrk = Process()
        wrk.executableURL = URL(fileURLWithPath: "/usr/bin/wrk")
        wrk.arguments = ["-t2", "-c32", "-d\(seconds)s", "http://127.0.0.1:\(port)/"]
        let output = Pipe()
        wrk.standardOutput = output
        try wrk.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        wrk.waitUntilExit()
        let line = text.split(separator: "\n").first { $0.hasPrefix("Requests/sec:") } ?? ""
        return Double(line.split(separator: " ").last ?? "") ?? 0
    }

    @Test(.enabled(if: BallastProcess.binary != nil && FileManager.default.isExecutableFile(atPath: "/usr/bin/wrk")))
    func itServesNoMoreThanItsCapacityUnderWrkAndLessWhenSlowed() async throws {
        let backend = try await SimBackend(["--capacity", "200", "--latency-ms", "20"])
        let full = try Self.wrk(port: backend.port, seconds: 3)
        // Queueing beyond capacity: never more than it can serve, and close to it when saturated.
        #expect(full <= 200 * 1.1)
        #expect(full >= 200 * 0.6)
        let (status, body) = try await backend.post("{\"latency_ms\": 80}")
        #expect(status == 200)
        #expect(body.contains("\"capacity\":50"))
        let slowed = try Self.wrk(port: backend.port, seconds: 3)
        #expect(slowed <= 50 * 1.25)
        #expect(slowed < full / 2)
    }

    @Test(.enabled(if: BallastProcess.binary != nil))
    func itsMetricsAreValidExpositionThatCountsEveryRequest() async throws {
        let backend = try await SimBackend(["--capacity", "1000", "--latency-ms", "1", "--fail-rate", "0.5"])
        for _ in 0..<40 { _ = HTTPProbe.get(port: backend.port, path: "/some/path") }
        let directory = try TemporaryDirectory()
        let metrics = try await backend.get("/metrics")
        let file = try directory.write("metrics.prom", metrics)
        let parsed = try await BallastProcess.run(["parse-metrics", "--strict", file])
        #expect(parsed.status == 0, "\(parsed.standardError)")
        let samples = parsed.standardOutput.split(separator: "\n").map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
            samples.compactMap { $0 }.first { $0["name"] as? String == name && ($0["labels"] as? [String: String] ?? [:]) == labels }
                .flatMap { Double($0["value"] as? String ?? "") }
        }
        let ok = value("http_requests_total", ["code": "200"]) ?? 0
        let failed = value("http_requests_total", ["code": "500"]) ?? 0
        #expect(ok + failed == 40)
        #expect(failed > 5 && ok > 5, "a fail rate of 0.5 fails about half")
        #expect(value("http_request_duration_seconds_count") == 40)
        #expect(value("http_request_duration_seconds_bucket", ["le": "+Inf"]) == 40)
        #expect(value("backend_capacity_rps") == 1000)
        for name in ["http_requests_in_flight", "process_cpu_seconds_total", "backend_utilization"] {
            #expect(value(name) != nil, "\(name) is exposed")
        }
    }

    @Test(.enabled(if: BallastProcess.binary != nil))
    func aBadChangeIsRefusedAndChangesNothing() async throws {
        let backend = try await SimBackend(["--capacity", "100"])
        let (status, body) = try await backend.post("{\"fail_rate\": 3}")
        #expect(status == 400)
        #expect(body.contains("fail rate 3.0 is out of range"))
        let (garbled, _) = try await backend.post("latency=5")
        #expect(garbled == 400)
        #expect(try await backend.get("/admin/config").contains("\"fail_rate\":0"))
    }

    @Test(.enabled(if: BallastProcess.binary != nil))
    func invalidOptionsAreUsageErrors() throws {
        #expect(try BallastProcess.run(["sim-backend", "--listen", "nowhere"]).status == 2)
        let negative = try BallastProcess.run(["sim-backend", "--listen", "127.0.0.1:0", "--capacity=-1"])
        #expect(negative.status == 2)
        #expect(negative.standardError.contains("capacity -1.0 is out of range"))
    }
}
