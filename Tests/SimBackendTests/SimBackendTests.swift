import SimBackend
import Testing

@Suite struct SimBackendTests {
    @Test func requestsBeyondTheWorkersWaitAndBeyondTheQueueAreRefused() async throws {
        let backend = SimBackend(config: try SimBackendConfig(capacity: 50, latencyMs: 20, maxQueue: 2))
        #expect(backend.config.workers == 1)
        let statuses = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<6 { group.addTask { await backend.serve() } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        // One served at once and two waiting: at least the rest were refused at once.
        #expect(statuses.filter { $0 == 503 }.count >= 1)
        #expect(statuses.filter { $0 == 200 }.count >= 3)
        let metrics = backend.metricsText()
        #expect(metrics.contains("http_requests_total{code=\"503\"}"))
        #expect(metrics.contains("http_request_duration_seconds_count 6"))
        #expect(metrics.contains("backend_workers 1"))
    }

    @Test func theFailRateAnswers500() async throws {
        let backend = SimBackend(config: try SimBackendConfig(capacity: 10_000, latencyMs: 0.1, failRate: 1))
        #expect(await backend.serve() == 500)
        #expect(backend.metricsText().contains("http_requests_total{code=\"500\"} 1"))
    }

    @Test func utilizationIsTheLastSecondsArrivalsOverCapacityAndWaitingRequestsAreInFlight() async throws {
        let backend = SimBackend(config: try SimBackendConfig(capacity: 10, latencyMs: 100))
        await withTaskGroup(of: Int.self) { group in
            for _ in 0..<5 { group.addTask { await backend.serve() } }
            try? await Task.sleep(for: .milliseconds(50))
            let metrics = backend.metricsText()
            #expect(metrics.contains("backend_utilization 0.5\n"))
            #expect(metrics.contains("http_requests_in_flight 5\n"))
            await group.waitForAll()
        }
    }
}
