import Foundation
import TestSupport
import Testing

@testable import Policy

/// Invariants checked over seeded random pools, signals and operator commands: outputs within
/// bounds, never an empty pool whatever the panic threshold (0% included) and whatever the
/// operator drains, and the same inputs always giving the same outputs.
@Suite struct EnginePropertyTests {
    /// A random policy exercising every section.
    private func randomPolicy(_ random: inout SplitMix64) -> PoolPolicy {
        let active = (0..<Int.random(in: 1...12, using: &random)).map { EngineFixtures.address("10.0.1.\($0 + 1):80") }
        let standby = (0..<Int.random(in: 0...2, using: &random)).map { EngineFixtures.address("10.0.2.\($0 + 1):80") }
        let low = Int.random(in: 1...5, using: &random)
        let strategy = WeightStrategy.allCases.randomElement(using: &random)!
        let weights = WeightsPolicy(
            strategy: strategy,
            signal: strategy == .headroom || strategy == .inverse ? "cpu" : nil,
            target: 0.6,
            min: low,
            max: Int.random(in: low...256, using: &random),
            smoothing: Double.random(in: 0.1...1, using: &random),
            maxStep: Bool.random(using: &random) ? Percent(Double.random(in: 5...50, using: &random)) : nil,
            minChange: Percent(Bool.random(using: &random) ? Double.random(in: 1...50, using: &random) : 0),
            slowStart: .seconds(Int64.random(in: 0...90, using: &random)),
            staleAfter: .seconds(30),
            staticWeights: Dictionary(uniqueKeysWithValues: active.prefix(2).map { ($0, Int.random(in: low...256, using: &random)) })
        )
        let minimum = Int.random(in: 1...4, using: &random)
        let scaling = ScalingPolicy(
            min: minimum,
            max: Int.random(in: minimum...30, using: &random),
            targets: [ScalingTarget(signal: "cpu", value: 0.6), ScalingTarget(signal: "inflight", value: 20)],
            cooldown: .seconds(Int64.random(in: 0...60, using: &random)),
            fallback: ScalingFallback(replicas: minimum, afterFailures: 2)
        )
        let health = HealthPolicy(
            unhealthyAfter: Int.random(in: 1...3, using: &random),
            healthyAfter: Int.random(in: 1...3, using: &random),
            ejectWhen: SignalCondition(signal: "errors", comparison: .greaterThan, threshold: 0.05),
            maxEjected: Percent(Double.random(in: 0...100, using: &random)),
            panicThreshold: Percent(Double.random(in: 0..<1, using: &random) < 0.2 ? 0 : Double.random(in: 1...80, using: &random))
        )
        let failover =
            standby.isEmpty
            ? nil
            : FailoverPolicy(
                standby: standby,
                holdDown: .seconds(Int64.random(in: 0...120, using: &random)),
                failback: Bool.random(using: &random) ? .auto : .manual,
                eligibility: StandbyEligibility(maxLag: LagBound(signal: "lag", max: 10))
            )
        return PoolPolicy(
            pool: "prop",
            backends: BackendSource(staticAddresses: active),
            weights: weights,
            health: health,
            failover: failover,
            scaling: scaling
        )
    }

    /// Random signals: flapping scrapes, missing and stale values, failed queries, membership
    /// changes (file_sd), commands, and now and then an operator draining every backend at once.
    private func randomSignals(_ policy: PoolPolicy, at seconds: Int64, _ random: inout SplitMix64) -> PoolSignals {
        var input = PoolSignals()
        let everyone = policy.backends.staticAddresses + (policy.failover?.standby ?? [])
        for address in everyone {
            var values: [String: SignalSample] = [:]
            for name in ["cpu", "inflight", "errors", "lag"] where Double.random(in: 0..<1, using: &random) < 0.85 {
                let age = Int64.random(in: 0...60, using: &random)
                let value =
                    Double.random(in: 0..<1, using: &random) < 0.03
                    ? Double.nan : Double.random(in: 0...(name == "inflight" ? 80 : 2), using: &random)
                values[name] = SignalSample(value: value, timestamp: EngineFixtures.at(seconds - age))
            }
            input.backends[address] = BackendSignals(up: Double.random(in: 0..<1, using: &random) < 0.8, values: values)
        }
        if Double.random(in: 0..<1, using: &random) < 0.1 {
            let active = policy.backends.staticAddresses
            input.members = active.filter { _ in Bool.random(using: &random) }
            if input.members!.isEmpty { input.members = [active[0]] }
        }
        if Double.random(in: 0..<1, using: &random) < 0.1 { input.failedSignals["cpu"] = "query timed out" }
        if Double.random(in: 0..<1, using: &random) < 0.5 { input.replicas = Int.random(in: 1...40, using: &random) }
        if Double.random(in: 0..<1, using: &random) < 0.15 {
            let target = everyone.randomElement(using: &random)!
            input.commands = [[.failover, .failback, .drain(address: target), .undrain(address: target)].randomElement(using: &random)!]
        } else if Double.random(in: 0..<1, using: &random) < 0.05 {
            input.commands = everyone.shuffled(using: &random).map { .drain(address: $0) }
        }
        return input
    }

    @Test(arguments: 1...40)
    func outputsStayInBoundsThePoolIsNeverEmptyAndEveryDecisionHasAReason(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let policy = randomPolicy(&random)
        let weights = policy.weights!
        let scaling = policy.scaling!
        var state = EngineState()
        for step in 0..<60 {
            let seconds = Int64(step) * 15
            let input = randomSignals(policy, at: seconds, &random)
            let outcome = PolicyEngine.evaluate(policy: policy, signals: input, state: state, now: EngineFixtures.at(seconds))
            state = outcome.state
            let serving = outcome.routing.filter { $0.state == .serving || $0.state == .slowStart }
            #expect(!serving.isEmpty, "seed \(seed) step \(step): empty pool (panic threshold \(policy.health.panicThreshold))")
            for entry in serving {
                #expect((weights.min...weights.max).contains(entry.weight), "seed \(seed) step \(step): weight \(entry.weight) out of range")
            }
            #expect(outcome.routing.filter { !serving.contains($0) }.allSatisfy { $0.weight == 0 })
            if let verdict = outcome.scaling {
                #expect((scaling.min...scaling.max).contains(verdict.desired), "seed \(seed) step \(step): \(verdict)")
            }
            #expect(outcome.routing.map(\.address) == outcome.routing.map(\.address).sorted())
            for decision in outcome.decisions {
                #expect(!decision.reason.isEmpty && !decision.reason.hasSuffix(": "), "seed \(seed) step \(step): \(decision.action) has no reason")
            }
        }
    }

    @Test(arguments: 1...20)
    func sameInputsGiveTheSameOutputsWhateverTheDictionaryOrderOrPersistence(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let policy = randomPolicy(&random)
        var state = EngineState()
        for step in 0..<30 {
            let seconds = Int64(step) * 15
            let input = randomSignals(policy, at: seconds, &random)
            var reordered = PoolSignals(
                members: input.members,
                pool: input.pool,
                failedSignals: input.failedSignals,
                replicas: input.replicas,
                commands: input.commands
            )
            for key in input.backends.keys.sorted().reversed() {
                reordered.backends[key] = input.backends[key]
            }
            let persisted = try JSONDecoder().decode(EngineState.self, from: JSONEncoder().encode(state))
            let now = EngineFixtures.at(seconds)
            let outcome = PolicyEngine.evaluate(policy: policy, signals: input, state: state, now: now)
            #expect(PolicyEngine.evaluate(policy: policy, signals: input, state: state, now: now) == outcome)
            #expect(PolicyEngine.evaluate(policy: policy, signals: reordered, state: persisted, now: now) == outcome, "seed \(seed) step \(step)")
            state = outcome.state
        }
    }

    @Test(arguments: 1...20)
    func reasonsForDecisionsOnlyChangeNothingButTheUnchangedVerdictsReason(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var policy = randomPolicy(&random)
        if seed % 2 == 0 {
            // Step rules and a predictive profile (a season of 5 minutes, so it is used) explain too.
            policy.scaling?.steps = StepScaling(
                signal: "inflight",
                thresholds: [
                    StepThreshold(lower: nil, upper: 10, adjustment: .delta(-1)),
                    StepThreshold(lower: 40, upper: 60, adjustment: .percent(50)),
                    StepThreshold(lower: 60, upper: nil, adjustment: .exact(12)),
                ]
            )
            policy.scaling?.predictive = PredictiveScaling(season: .seconds(300), resolution: .seconds(60), lead: .seconds(60))
        }
        var state = EngineState()
        var changes = 0
        for step in 0..<60 {
            let seconds = Int64(step) * 15
            let input = randomSignals(policy, at: seconds, &random)
            let now = EngineFixtures.at(seconds)
            let explained = PolicyEngine.evaluate(policy: policy, signals: input, state: state, now: now)
            let quiet = PolicyEngine.evaluate(policy: policy, signals: input, state: state, now: now, reasons: .decisions)
            #expect(quiet.state == explained.state, "seed \(seed) step \(step)")
            #expect(quiet.decisions == explained.decisions, "seed \(seed) step \(step)")
            #expect(quiet.routing == explained.routing)
            let verdict = explained.scaling!
            #expect(quiet.scaling?.desired == verdict.desired)
            if verdict.desired != verdict.current {
                changes += 1
                #expect(quiet.scaling == verdict, "a changed count keeps its reason")
            } else {
                #expect(quiet.scaling?.reason == "")
            }
            state = explained.state
        }
        #expect(changes > 0, "seed \(seed): the scenario never scaled")
    }

    @Test(arguments: 1...20)
    func signalsEveryMemberSharesEqualTheSameSignalsGivenPerMemberAndInPlaceEqualsByValue(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let policy = randomPolicy(&random)
        let standby = policy.failover?.standby ?? []
        var state = EngineState()
        var inPlace = EngineOutcome(state: EngineState())
        for step in 0..<60 {
            let seconds = Int64(step) * 15
            let now = EngineFixtures.at(seconds)
            let input = randomSignals(policy, at: seconds, &random)
            // One member's signals stand for every member's, a member also listed as standby
            // included; standby backends that are not members keep their own.
            let shared = input.backends[policy.backends.staticAddresses[0]]!
            var members = input.members ?? policy.backends.staticAddresses
            if step % 3 == 0, let both = standby.last { members.append(both) }
            var perMember = input
            var everyMember = input
            perMember.members = members
            everyMember.members = members
            everyMember.everyMember = shared
            for address in members {
                perMember.backends[address] = shared
                everyMember.backends[address] = nil
            }
            if step % 2 == 1, let unscraped = standby.first, !members.contains(unscraped) {
                // A standby backend without signals gets none of the members'.
                perMember.backends[unscraped] = nil
                everyMember.backends[unscraped] = nil
            }
            let expected = PolicyEngine.evaluate(policy: policy, signals: perMember, state: state, now: now)
            #expect(PolicyEngine.evaluate(policy: policy, signals: everyMember, state: state, now: now) == expected, "seed \(seed) step \(step)")
            PolicyEngine.evaluate(policy: policy, signals: perMember, into: &inPlace, now: now)
            #expect(inPlace == expected, "seed \(seed) step \(step)")
            state = expected.state
        }
    }
}
