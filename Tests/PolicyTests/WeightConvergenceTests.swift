import TestSupport
import Testing

@testable import Policy

/// Weights are a feedback loop: the split decides each backend's load, the load decides its
/// signal, the signal decides the next split. These closed-loop simulations drive the real engine
/// against backends modelled as queues and check that it settles with equal signals and weights
/// proportional to capacity, without oscillating.
@Suite struct WeightConvergenceTests {
    /// A backend serving up to `capacity` requests per second; excess queues and shows up in the
    /// utilisation signal (busy fraction plus backlog, 0..1+), as `ballast sim-backend` reports it.
    struct QueueBackend {
        var capacity: Double
        var backlog = 0.0

        /// Serves `offered` rps for `seconds` and returns the utilisation signal.
        mutating func serve(_ offered: Double, seconds: Double) -> Double {
            backlog = max(0, backlog + (offered - capacity) * seconds)
            return min(offered, capacity) / capacity + backlog / (capacity * seconds)
        }

        /// The M/M/1 mean latency at `offered` rps, in seconds (unbounded near capacity).
        func latency(_ offered: Double) -> Double {
            1 / max(capacity - offered, capacity * 0.01)
        }
    }

    struct Trajectory {
        var weights: [[Int]] = []
        var signals: [[Double]] = []
    }

    /// Runs `steps` evaluations 15 s apart with `load` rps split by the routed weights.
    private func simulate(
        capacities: [Double],
        load: Double,
        weights: WeightsPolicy,
        steps: Int,
        signal: (inout QueueBackend, Double) -> Double
    ) -> Trajectory {
        let addresses = EngineFixtures.addresses(capacities.count)
        let policy = PoolPolicy(pool: "sim", backends: BackendSource(staticAddresses: addresses), weights: weights)
        var backends = capacities.map { QueueBackend(capacity: $0) }
        var state = EngineState()
        var routed = Array(repeating: 1, count: capacities.count)
        var trajectory = Trajectory()
        for step in 0..<steps {
            let now = EngineFixtures.at(Int64(step) * 15)
            let total = Double(routed.reduce(0, +))
            var input = PoolSignals()
            var values: [Double] = []
            for index in backends.indices {
                let value = signal(&backends[index], load * Double(routed[index]) / total)
                values.append(value)
                input.backends[addresses[index]] = EngineFixtures.backend([weights.signal ?? "util": value], at: now)
            }
            let outcome = PolicyEngine.evaluate(policy: policy, signals: input, state: state, now: now)
            state = outcome.state
            routed = outcome.routing.map(\.weight)
            trajectory.weights.append(routed)
            trajectory.signals.append(values)
        }
        return trajectory
    }

    private func spread(_ values: [Double]) -> Double {
        (values.max()! - values.min()!) / values.max()!
    }

    @Test(arguments: [0.3, 0.6, 0.9])
    func headroomSettlesWithEqualUtilisationAndWeightsProportionalToCapacity(loadShare: Double) {
        let capacities = [100.0, 200, 400]
        let policy = WeightsPolicy(strategy: .headroom, signal: "util", target: 0.7, min: 1, max: 100, smoothing: 0.5)
        let run = simulate(capacities: capacities, load: 700 * loadShare, weights: policy, steps: 40) { backend, offered in
            backend.serve(offered, seconds: 15)
        }
        let final = run.weights.last!
        #expect(final == [25, 50, 100])
        #expect(spread(run.signals.last!) < 0.02)
        for pair in zip(run.weights.suffix(20), run.weights.suffix(19)) {
            for (before, after) in zip(pair.0, pair.1) {
                #expect(abs(before - after) <= 1, "weights still moving at the end: \(pair.0) → \(pair.1)")
            }
        }
    }

    /// An initially overloaded backend builds a backlog, and draining it needs less than its
    /// capacity share for a while, so one undershoot is physics; alternating is not allowed.
    @Test(arguments: [0.3, 0.7, 0.9])
    func headroomChangesDirectionAtMostOncePerBackend(loadShare: Double) {
        let policy = WeightsPolicy(strategy: .headroom, signal: "util", target: 0.7, smoothing: 0.5)
        let run = simulate(capacities: [100, 200, 400], load: 700 * loadShare, weights: policy, steps: 40) { backend, offered in
            backend.serve(offered, seconds: 15)
        }
        for index in 0..<3 {
            let series = run.weights.map { $0[index] }
            var reversals = 0
            var direction = 0
            for (earlier, later) in zip(series.dropLast(), series.dropFirst()) where later != earlier {
                let step = later > earlier ? 1 : -1
                if direction != 0 && step != direction { reversals += 1 }
                direction = step
            }
            #expect(reversals <= 1, "backend \(index) weights alternate: \(series)")
        }
    }

    @Test func noisySignalsDoNotMakeTheSettledWeightsChurn() {
        let policy = WeightsPolicy(strategy: .headroom, signal: "util", target: 0.7, smoothing: 0.5)
        var noise = SplitMix64(seed: 7)
        let run = simulate(capacities: [100, 200, 400], load: 420, weights: policy, steps: 80) { backend, offered in
            backend.serve(offered, seconds: 15) * Double.random(in: 0.98...1.02, using: &noise)
        }
        let settled = run.weights.suffix(40)
        let changes = zip(settled.dropLast(), settled.dropFirst()).filter { $0 != $1 }.count
        #expect(changes <= 8, "weights changed in \(changes) of the last 40 evaluations: \(Array(settled))")
        for weights in settled {
            #expect(abs(Double(weights[0]) / Double(weights[2]) - 0.25) < 0.05)
            #expect(abs(Double(weights[1]) / Double(weights[2]) - 0.5) < 0.05)
        }
    }

    /// A held move is not lost: the smoothed weights keep moving, so the applied split still ends
    /// near capacity proportions (within the bound) and then stops changing.
    @Test(arguments: [0.3, 0.6, 0.9])
    func headroomWithMinChangeStillConvergesAndThenHoldsStill(loadShare: Double) {
        let policy = WeightsPolicy(strategy: .headroom, signal: "util", target: 0.7, smoothing: 0.5, minChange: Percent(10))
        let run = simulate(capacities: [100, 200, 400], load: 700 * loadShare, weights: policy, steps: 40) { backend, offered in
            backend.serve(offered, seconds: 15)
        }
        let final = run.weights.last!
        #expect(abs(Double(final[0]) / Double(final[2]) - 0.25) <= 0.25 * 0.1, "\(final)")
        #expect(abs(Double(final[1]) / Double(final[2]) - 0.5) <= 0.5 * 0.1, "\(final)")
        #expect(spread(run.signals.last!) < 0.1)
        let settled = run.weights.suffix(15)
        #expect(Set(settled).count == 1, "weights still moving at the end: \(Array(settled))")
        let changes = zip(run.weights.dropLast(), run.weights.dropFirst()).filter { $0 != $1 }.count
        #expect(changes < 12, "\(run.weights)")
    }

    @Test func maxStepBoundsEveryChangeOnTheWayToConvergence() {
        let policy = WeightsPolicy(strategy: .headroom, signal: "util", target: 0.7, smoothing: 1, maxStep: Percent(10))
        let run = simulate(capacities: [100, 400], load: 300, weights: policy, steps: 40) { backend, offered in
            backend.serve(offered, seconds: 15)
        }
        #expect(run.weights.last! == [25, 100])
        let small = run.weights.map { $0[0] }
        for (earlier, later) in zip(small.dropLast(), small.dropFirst()) {
            #expect(abs(Double(later - earlier)) <= Double(earlier) * 0.1 + 1, "\(small)")
        }
    }

    @Test func inverseLatencySettlesNearCapacityProportionsAtModerateLoad() {
        let policy = WeightsPolicy(strategy: .inverse, signal: "latency", smoothing: 0.5)
        let run = simulate(capacities: [100, 200, 400], load: 350, weights: policy, steps: 40) { backend, offered in
            backend.latency(offered)
        }
        let final = run.weights.last!
        #expect(abs(Double(final[0]) / Double(final[2]) - 0.25) < 0.05)
        #expect(abs(Double(final[1]) / Double(final[2]) - 0.5) < 0.05)
        for pair in zip(run.weights.suffix(10), run.weights.suffix(9)) {
            for (before, after) in zip(pair.0, pair.1) {
                #expect(abs(before - after) <= 1)
            }
        }
    }
}
