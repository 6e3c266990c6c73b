import Foundation
import PolicyLoading
import TestSupport
import Testing

@testable import Policy

/// The engine as the daemon and replay call it: decisions only on change, scaling through the
/// whole pipeline, membership changes, and state that survives JSON.
@Suite struct PolicyEngineTests {
    private let backends = EngineFixtures.addresses(3)

    private func webPolicy(scaling: ScalingPolicy? = nil) -> PoolPolicy {
        PoolPolicy(
            pool: "web",
            backends: BackendSource(staticAddresses: backends),
            weights: WeightsPolicy(strategy: .headroom, signal: "cpu", target: 0.5, smoothing: 1, slowStart: .seconds(30)),
            scaling: scaling
        )
    }

    private func signals(_ cpu: [Double], at seconds: Int64, members: [BackendAddress]? = nil) -> PoolSignals {
        var input = PoolSignals(members: members)
        for (address, value) in zip(members ?? backends, cpu) {
            input.backends[address] = EngineFixtures.backend(["cpu": value], at: EngineFixtures.at(seconds))
        }
        return input
    }

    @Test func firstEvaluationDecidesTheWholeRoutingWithAReason() throws {
        let outcome = PolicyEngine.evaluate(
            policy: webPolicy(),
            signals: signals([0.5, 0.5, 0.5], at: 0),
            state: EngineState(),
            now: EngineFixtures.at(0)
        )
        #expect(outcome.decisions.count == 1)
        let decision = try #require(outcome.decisions.first)
        #expect(decision.pool == "web")
        #expect(decision.origin == .automatic)
        #expect(decision.action == .weights(routing: backends.map { BackendRouting(address: $0, weight: 100, state: .serving) }))
        #expect(decision.reason.hasPrefix("headroom weights on cpu target 0.5: 127.0.0.1:9001 serving 100 (cpu 0.5)"))
    }

    @Test func unchangedRoutingMakesNoDecision() {
        let first = PolicyEngine.evaluate(
            policy: webPolicy(),
            signals: signals([0.5, 0.5, 0.5], at: 0),
            state: EngineState(),
            now: EngineFixtures.at(0)
        )
        let second = PolicyEngine.evaluate(
            policy: webPolicy(),
            signals: signals([0.5, 0.5, 0.5], at: 15),
            state: first.state,
            now: EngineFixtures.at(15)
        )
        #expect(second.decisions.isEmpty)
        #expect(second.routing == first.routing)
    }

    @Test func backendJoiningLaterRampsUpWhileTheOthersKeepTheirWeight() {
        let first = PolicyEngine.evaluate(
            policy: webPolicy(),
            signals: signals([0.5, 0.5, 0.5], at: 0),
            state: EngineState(),
            now: EngineFixtures.at(0)
        )
        let grown = backends + [EngineFixtures.address("127.0.0.1:9004")]
        let second = PolicyEngine.evaluate(
            policy: webPolicy(),
            signals: signals([0.5, 0.5, 0.5, 0.5], at: 15, members: grown),
            state: first.state,
            now: EngineFixtures.at(15)
        )
        #expect(second.routing.last == BackendRouting(address: grown[3], weight: 10, state: .slowStart))
        #expect(second.routing.prefix(3).allSatisfy { $0.weight == 100 })
    }

    @Test func backendLeavingIsForgotten() {
        let first = PolicyEngine.evaluate(
            policy: webPolicy(),
            signals: signals([0.5, 0.5, 0.5], at: 0),
            state: EngineState(),
            now: EngineFixtures.at(0)
        )
        let shrunk = Array(backends.prefix(2))
        let second = PolicyEngine.evaluate(
            policy: webPolicy(),
            signals: signals([0.5, 0.5], at: 15, members: shrunk),
            state: first.state,
            now: EngineFixtures.at(15)
        )
        #expect(second.routing.map(\.address) == shrunk)
        #expect(second.state.backend(backends[2]) == nil)
        #expect(second.state.backends.map(\.address) == shrunk)
    }

    /// Runs the engine over `steps` of `(seconds, cpu)` with state carried over.
    private func run(_ policy: PoolPolicy, _ steps: [(Int64, [Double])]) -> [EngineOutcome] {
        var state = EngineState()
        var outcomes: [EngineOutcome] = []
        for (seconds, cpu) in steps {
            let outcome = PolicyEngine.evaluate(policy: policy, signals: signals(cpu, at: seconds), state: state, now: EngineFixtures.at(seconds))
            state = outcome.state
            outcomes.append(outcome)
        }
        return outcomes
    }

    private func minChangePolicy(smoothing: Double) -> PoolPolicy {
        var policy = webPolicy()
        policy.weights?.smoothing = smoothing
        policy.weights?.minChange = Percent(10)
        return policy
    }

    @Test func weightMovesBelowMinChangeKeepThePreviousRoutingWithoutADecision() {
        let outcomes = run(minChangePolicy(smoothing: 1), [(0, [0.5, 0.5, 0.5]), (15, [0.52, 0.5, 0.5]), (30, [0.54, 0.5, 0.5])])
        for outcome in outcomes.dropFirst() {
            #expect(outcome.decisions.isEmpty)
            #expect(outcome.routing == outcomes[0].routing)
        }
    }

    @Test func smoothedWeightsKeepMovingUnderMinChangeSoAHeldDriftIsAppliedOnceItAddsUp() throws {
        let outcomes = run(minChangePolicy(smoothing: 0.5), [(0, [0.5, 0.5, 0.5]), (15, [0.6, 0.5, 0.5]), (30, [0.6, 0.5, 0.5])])
        #expect(outcomes[1].decisions.isEmpty)
        #expect(outcomes[1].routing.map(\.weight) == [100, 100, 100])
        #expect(outcomes[1].state.backends[0].weight?.routed == 100)
        let applied = try #require(outcomes[2].decisions.first)
        #expect(outcomes[2].routing.map(\.weight) == [88, 100, 100])
        #expect(applied.action == .weights(routing: outcomes[2].routing))
    }

    @Test func stateChangesApplyAtOnceWithTheWeightsHeldSoFar() throws {
        let policy = minChangePolicy(smoothing: 1)
        let held = run(policy, [(0, [0.5, 0.5, 0.5]), (15, [0.52, 0.5, 0.5])])
        #expect(held[1].decisions.isEmpty)
        var input = signals([0.52, 0.5, 0.5], at: 30)
        input.commands = [.drain(address: backends[2])]
        let drained = PolicyEngine.evaluate(policy: policy, signals: input, state: held[1].state, now: EngineFixtures.at(30))
        let weights = try #require(drained.decisions.first { if case .weights = $0.action { true } else { false } })
        #expect(weights.action == .weights(routing: drained.routing))
        #expect(drained.routing.map(\.state) == [.serving, .serving, .drained])
        #expect(drained.routing[0].weight == 96)
    }

    @Test func everySlowStartStepAppliesWhateverTheMinChange() {
        var policy = webPolicy()
        policy.weights = WeightsPolicy(strategy: .equal, minChange: Percent(100), slowStart: .seconds(600))
        let grown = backends + [EngineFixtures.address("127.0.0.1:9004")]
        var state = PolicyEngine.evaluate(policy: policy, signals: signals([0.5, 0.5, 0.5], at: 0), state: EngineState(), now: EngineFixtures.at(0))
            .state
        var ramp: [Int] = []
        for seconds: Int64 in [15, 135, 195, 255] {
            let outcome = PolicyEngine.evaluate(
                policy: policy,
                signals: signals([0.5, 0.5, 0.5, 0.5], at: seconds, members: grown),
                state: state,
                now: EngineFixtures.at(seconds)
            )
            #expect(outcome.decisions.count == 1)
            state = outcome.state
            ramp.append(outcome.routing[3].weight)
        }
        #expect(ramp == [10, 20, 30, 40])
    }

    @Test func scalingDecisionCarriesFromToAndTheRule() throws {
        let scaling = ScalingPolicy(min: 1, max: 10, targets: [ScalingTarget(signal: "cpu", value: 0.5)])
        let outcome = PolicyEngine.evaluate(
            policy: webPolicy(scaling: scaling),
            signals: signals([1, 1, 1], at: 0),
            state: EngineState(),
            now: EngineFixtures.at(0)
        )
        let decision = try #require(outcome.decisions.first { if case .scale = $0.action { true } else { false } })
        #expect(decision.action == .scale(from: 3, to: 6))
        #expect(decision.reason == "cpu average 1 vs target 0.5 (ratio 2) over 3 backends proposes 6")
        #expect(outcome.scaling == ScalingVerdict(current: 3, desired: 6, reason: decision.reason))
    }

    @Test func replayDrivesScalingThroughPoolWideSignalsAndTheDecidedCount() {
        let policy = PoolPolicy(
            pool: "sim",
            backends: BackendSource(),
            scaling: ScalingPolicy(min: 2, max: 20, targets: [ScalingTarget(signal: "util", value: 0.6)])
        )
        var state = EngineState()
        var replicas: [Int] = []
        for step in 0..<4 {
            let now = EngineFixtures.at(Int64(step) * 15)
            let input = PoolSignals(pool: ["util": SignalSample(value: 1.2, timestamp: now)])
            let outcome = PolicyEngine.evaluate(policy: policy, signals: input, state: state, now: now)
            state = outcome.state
            replicas.append(outcome.scaling?.desired ?? 0)
        }
        #expect(replicas == [4, 8, 16, 20])
    }

    /// A value of `signal` that a healthy, lightly loaded, caught-up backend would report.
    private func healthyValue(of signal: String, in policy: PoolPolicy) -> Double {
        if let condition = policy.health.ejectWhen, condition.signal == signal {
            return [0, condition.threshold * 2 + 1].first { !condition.holds(for: $0) } ?? 0
        }
        return 0.02
    }

    /// Every shipped example, loaded by the real loader, evaluated for five minutes of steady
    /// signals: traffic flows, replicas stay within bounds and nothing is refused.
    @Test(arguments: ExamplePolicies.names)
    func examplePoliciesRunCleanlyThroughTheEngine(name: String) throws {
        let policy = try PolicyLoader().load(yaml: ExamplePolicies.text(name), path: name)
        var state = EngineState()
        // A file_sd-only pool gets its members from the daemon; three stand in for them here.
        let members = policy.backends.staticAddresses.isEmpty ? EngineFixtures.addresses(3) : policy.backends.staticAddresses
        let everyone = members + (policy.failover?.standby ?? [])
        for step in 0..<20 {
            let now = EngineFixtures.at(Int64(step) * 15)
            var input = PoolSignals(members: members)
            for address in everyone {
                let values = Dictionary(uniqueKeysWithValues: policy.signals.map { ($0.name, healthyValue(of: $0.name, in: policy)) })
                input.backends[address] = EngineFixtures.backend(values, at: now)
            }
            let outcome = PolicyEngine.evaluate(policy: policy, signals: input, state: state, now: now)
            state = outcome.state
            #expect(outcome.routing.contains { $0.weight > 0 }, "\(name): no backend gets traffic")
            #expect(!outcome.decisions.contains { if case .rejected = $0.action { true } else { false } })
            if let scaling = policy.scaling, let verdict = outcome.scaling {
                #expect((scaling.min...scaling.max).contains(verdict.desired))
            }
        }
        #expect(state.failover.serving == .active, "\(name): failed over with every backend healthy")
    }

    @Test func stateAndDecisionsSurviveAJSONRoundTrip() throws {
        var state = EngineState()
        var input = signals([0.9, 0.1, 0.5], at: 0)
        input.commands = [.drain(address: backends[2])]
        let scaling = ScalingPolicy(min: 1, max: 10, targets: [ScalingTarget(signal: "cpu", value: 0.5)])
        let outcome = PolicyEngine.evaluate(policy: webPolicy(scaling: scaling), signals: input, state: state, now: EngineFixtures.at(0))
        state = outcome.state
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let decoded = try JSONDecoder().decode(EngineState.self, from: encoder.encode(state))
        #expect(decoded == state)
        let decisions = try JSONDecoder().decode([Decision].self, from: encoder.encode(outcome.decisions))
        #expect(decisions == outcome.decisions)
        let json = try #require(String(data: encoder.encode(outcome.decisions.first { $0.origin == .operator }), encoding: .utf8))
        #expect(json.contains(#""action":{"drain":{"address":"127.0.0.1:9003"}}"#))
        #expect(json.contains(#""origin":"operator""#))
    }
}
