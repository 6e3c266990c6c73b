import Benchmark
import Foundation
import Policy

/// One evaluation of a 100-backend pool with every section on (headroom weights with slow start,
/// a health condition, two scaling targets), against the 50 µs budget replay needs to run it
/// millions of times. The peer in the same run is Foundation's `JSONEncoder` encoding that
/// evaluation's input once: the least the daemon's journal and state persistence do per pool.
let benchmarks: @Sendable () -> Void = {
    let pool = BenchmarkPool(backends: 100, snapshots: 64)
    let metrics: [BenchmarkMetric] = [.wallClock, .mallocCountTotal, .throughput]
    Benchmark(
        "PolicyEngine.evaluate, 100 backends",
        configuration: .init(metrics: metrics, maxDuration: .seconds(5), maxIterations: 200_000)
    ) { benchmark in
        var state = pool.warmState
        var step = 0
        for _ in benchmark.scaledIterations {
            let outcome = PolicyEngine.evaluate(
                policy: pool.policy,
                signals: pool.inputs[step % pool.inputs.count],
                state: state,
                now: pool.time(step)
            )
            state = outcome.state
            step += 1
            blackHole(outcome.decisions.count)
        }
    }
    Benchmark(
        "Peer: JSONEncoder, one 100-backend input",
        configuration: .init(metrics: metrics, maxDuration: .seconds(5), maxIterations: 200_000)
    ) { benchmark in
        let encoder = JSONEncoder()
        var step = 0
        for _ in benchmark.scaledIterations {
            blackHole(try encoder.encode(pool.inputs[step % pool.inputs.count]).count)
            step += 1
        }
    }
}

/// A pool and a cycle of realistic inputs: utilisation wandering around the target, a few
/// backends failing scrapes or the error condition now and then.
struct BenchmarkPool: Sendable {
    let policy: PoolPolicy
    let inputs: [PoolSignals]
    let warmState: EngineState
    private let start = PolicyInstant.seconds(1_700_000_000)

    init(backends count: Int, snapshots: Int) {
        let addresses = (0..<count).map { try! BackendAddress(parsing: "10.0.\($0 / 200).\($0 % 200 + 1):8080") }
        policy = PoolPolicy(
            pool: "bench",
            backends: BackendSource(staticAddresses: addresses),
            weights: WeightsPolicy(
                strategy: .headroom,
                signal: "cpu",
                target: 0.6,
                min: 1,
                max: 256,
                smoothing: 0.5,
                maxStep: Percent(25),
                slowStart: .seconds(60),
                staleAfter: .minutes(60 * 24 * 365 * 10)
            ),
            health: HealthPolicy(ejectWhen: SignalCondition(signal: "error_ratio", comparison: .greaterThan, threshold: 0.05)),
            scaling: ScalingPolicy(
                min: 2,
                max: 200,
                targets: [ScalingTarget(signal: "cpu", value: 0.6), ScalingTarget(signal: "inflight", value: 50)]
            )
        )
        var generator = SystemRandomNumberGenerator()
        let sampleTime = PolicyInstant.seconds(1_700_000_000)
        inputs = (0..<snapshots).map { _ in
            var input = PoolSignals(replicas: count)
            for (index, address) in addresses.enumerated() {
                let capacity = 1 + Double(index % 4)
                let values: [String: Double] = [
                    "cpu": Double.random(in: 0.4...0.8, using: &generator) / capacity,
                    "inflight": Double.random(in: 10...90, using: &generator),
                    "error_ratio": Double.random(in: 0..<1, using: &generator) < 0.02 ? 0.2 : 0.001,
                ]
                input.backends[address] = BackendSignals(
                    up: Double.random(in: 0..<1, using: &generator) >= 0.01,
                    values: values.mapValues { SignalSample(value: $0, timestamp: sampleTime) }
                )
            }
            return input
        }
        var state = EngineState()
        for step in 0..<snapshots {
            state = PolicyEngine.evaluate(policy: policy, signals: inputs[step], state: state, now: start + .seconds(Int64(step) * 15)).state
        }
        warmState = state
    }

    /// The evaluation time of `step`, after the warm-up, 15 s apart.
    func time(_ step: Int) -> PolicyInstant {
        start + .seconds(Int64(inputs.count + step) * 15)
    }
}
