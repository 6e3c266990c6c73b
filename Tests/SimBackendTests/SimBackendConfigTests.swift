import SimBackend
import Testing

@Suite struct SimBackendConfigTests {
    @Test func workersAreCapacityTimesLatencyAndTheCapacityIsExact() throws {
        let config = try SimBackendConfig(capacity: 150, latencyMs: 20)
        #expect(config.workers == 3)
        #expect(abs(config.capacity - 150) < 1e-9)
        let rounded = try SimBackendConfig(capacity: 130, latencyMs: 20)
        #expect(rounded.workers == 3)
        #expect(abs(rounded.capacity - 130) < 1e-9, "the service time is adjusted so the capacity holds")
    }

    @Test func aSlowerBackendKeepsItsWorkersSoItsCapacityFalls() throws {
        let config = try SimBackendConfig(capacity: 200, latencyMs: 20)
        let slow = try config.updated(capacity: nil, latencyMs: 80, failRate: nil)
        #expect(slow.workers == config.workers)
        #expect(abs(slow.capacity - 50) < 1e-9)
        let resized = try slow.updated(capacity: 400, latencyMs: nil, failRate: 0.1)
        #expect(abs(resized.capacity - 400) < 1e-9)
        #expect(resized.failRate == 0.1)
    }

    @Test func valuesOutOfRangeAreRefusedWithTheRange() {
        #expect(throws: SimBackendConfigError.capacity(0)) { try SimBackendConfig(capacity: 0, latencyMs: 20) }
        #expect(throws: SimBackendConfigError.latency(0.01)) { try SimBackendConfig(capacity: 10, latencyMs: 0.01) }
        #expect(throws: SimBackendConfigError.failRate(1.5)) { try SimBackendConfig(capacity: 10, latencyMs: 20, failRate: 1.5) }
        #expect(SimBackendConfigError.failRate(2).description.contains("from 0 to 1"))
    }

    @Test func whatTheRoundingDerivesIsCheckedToo() throws {
        // One worker at 0.001 rps would take 1,000 s a request.
        #expect(throws: SimBackendConfigError.latency(1_000_000)) { try SimBackendConfig(capacity: 0.001, latencyMs: 20) }
        #expect(throws: SimBackendConfigError.self) { try SimBackendConfig(capacity: 1e-300, latencyMs: 20) }
        // A new latency alone keeps the workers, so it moves the capacity, which must stay in range.
        let wide = try SimBackendConfig(capacity: 1_000_000, latencyMs: 100)
        #expect(throws: SimBackendConfigError.capacity(1e9)) { try wide.updated(capacity: nil, latencyMs: 0.1, failRate: nil) }
        #expect(throws: SimBackendConfigError.workers(600_000)) { try SimBackendConfig(capacity: 1_000_000, latencyMs: 600) }
        #expect(try SimBackendConfig(capacity: 10_000, latencyMs: 0.1).workers == 1)
    }
}
