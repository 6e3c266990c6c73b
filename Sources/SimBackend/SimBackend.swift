import Synchronization

/// A backend with a real capacity limit, for demos, tests and benchmarks: `workers` requests are
/// served at once, each for a log-normal service time; requests beyond that wait in a FIFO queue
/// (so latency rises under overload as it does in a real server), and beyond `maxQueue` waiting
/// they are refused with 503. It keeps the metrics a real service exposes (see
/// `SimBackend+Metrics.swift`). The HTTP server around it lives in the HTTP target.
package final class SimBackend: Sendable {
    /// Request durations are bucketed as client libraries do by default.
    package static let durationBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    /// Arrivals are counted in slots this long; `backend_utilization` sums the last second.
    static let slotSeconds = 0.1
    static let slotsPerSecond = 10

    struct State {
        var config: SimBackendConfig
        var busy = 0
        var waiters: [CheckedContinuation<Bool, Never>] = []
        var waitersHead = 0
        var responses: [Int: UInt64] = [:]
        var bucketCounts = [UInt64](repeating: 0, count: SimBackend.durationBuckets.count)
        var durationSum = 0.0
        var durationCount: UInt64 = 0
        var busySeconds = 0.0
        var arrivalSlots = [Int](repeating: 0, count: SimBackend.slotsPerSecond)
        var currentSlot: Int64 = 0

        var waiting: Int { waiters.count - waitersHead }

        mutating func takeWaiter() -> CheckedContinuation<Bool, Never>? {
            guard waitersHead < waiters.count else { return nil }
            let waiter = waiters[waitersHead]
            waitersHead += 1
            if waitersHead > 64 && waitersHead * 2 > waiters.count {
                waiters.removeFirst(waitersHead)
                waitersHead = 0
            }
            return waiter
        }

        /// Moves the arrival window to `slot`, clearing the slots it passed.
        mutating func advance(to slot: Int64) {
            guard slot > currentSlot else { return }
            let passed = min(slot - currentSlot, Int64(SimBackend.slotsPerSecond))
            for step in 1...passed {
                arrivalSlots[Int((currentSlot + step) % Int64(SimBackend.slotsPerSecond))] = 0
            }
            currentSlot = slot
        }
    }

    let state: Mutex<State>
    let started = ContinuousClock.now

    package init(config: SimBackendConfig) {
        state = Mutex(State(config: config))
    }

    /// The current behaviour.
    package var config: SimBackendConfig { state.withLock { $0.config } }

    /// Changes the behaviour live; more workers start on waiting requests at once.
    package func update(capacity: Double?, latencyMs: Double?, failRate: Double?) throws(SimBackendConfigError) -> SimBackendConfig {
        // Read, change and write under one lock, so concurrent changes do not undo each other.
        let outcome = state.withLock { state -> Result<(SimBackendConfig, [CheckedContinuation<Bool, Never>]), SimBackendConfigError> in
            let next: SimBackendConfig
            do throws(SimBackendConfigError) {
                next = try state.config.updated(capacity: capacity, latencyMs: latencyMs, failRate: failRate)
            } catch {
                return .failure(error)
            }
            state.config = next
            var woken: [CheckedContinuation<Bool, Never>] = []
            while state.busy < next.workers, let waiter = state.takeWaiter() {
                state.busy += 1
                woken.append(waiter)
            }
            return .success((next, woken))
        }
        let (next, woken) = try outcome.get()
        for waiter in woken { waiter.resume(returning: true) }
        return next
    }

    /// Serves one request: waits for a worker, works for a service time, and answers the status
    /// code (200, 500 at the fail rate, 503 when the queue is full).
    package func serve() async -> Int {
        let arrival = ContinuousClock.now
        let slot = self.slot(at: arrival)
        let admitted = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let decided = state.withLock { state -> Bool? in
                state.advance(to: slot)
                state.arrivalSlots[Int(slot % Int64(Self.slotsPerSecond))] += 1
                if state.busy < state.config.workers {
                    state.busy += 1
                    return true
                }
                if state.waiting >= state.config.maxQueue { return false }
                state.waiters.append(continuation)
                return nil
            }
            if let decided { continuation.resume(returning: decided) }
        }
        guard admitted else {
            record(status: 503, since: arrival, served: 0)
            return 503
        }
        var generator = SystemRandomNumberGenerator()
        let (mean, failRate) = state.withLock { ($0.config.meanServiceSeconds, $0.config.failRate) }
        let service = ServiceTime.sample(mean: mean, using: &generator)
        try? await Task.sleep(for: .seconds(service))
        let next = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            if state.busy <= state.config.workers, let waiter = state.takeWaiter() { return waiter }
            state.busy -= 1
            return nil
        }
        next?.resume(returning: true)
        let status = failRate > 0 && Double.random(in: 0..<1, using: &generator) < failRate ? 500 : 200
        record(status: status, since: arrival, served: service)
        return status
    }

    private func record(status: Int, since arrival: ContinuousClock.Instant, served: Double) {
        let elapsed = ContinuousClock.now - arrival
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        state.withLock { state in
            state.responses[status, default: 0] += 1
            state.durationSum += seconds
            state.durationCount += 1
            state.busySeconds += served
            if let bucket = Self.durationBuckets.firstIndex(where: { seconds <= $0 }) {
                state.bucketCounts[bucket] += 1
            }
        }
    }

    func slot(at instant: ContinuousClock.Instant) -> Int64 {
        let elapsed = instant - started
        return elapsed.components.seconds * Int64(Self.slotsPerSecond) + elapsed.components.attoseconds / Int64(Self.slotSeconds * 1e18)
    }
}
