import Testing

@testable import Policy

extension WeightPlanner {
    /// Plans with states keyed by address, as the tests hold them, through the aligned-array API.
    fileprivate func plan(
        _ serving: [BackendAddress],
        joined: Set<BackendAddress>,
        signals: PoolSignals,
        states: inout [BackendAddress: BackendWeightState],
        now: PolicyInstant
    ) -> Plan {
        var aligned = serving.map { states[$0] }
        let plan = plan(
            serving,
            signals: serving.map { signals.backends[$0] },
            states: &aligned,
            joined: serving.map { joined.contains($0) },
            now: now
        )
        for (address, state) in zip(serving, aligned) {
            states[address] = state
        }
        return plan
    }
}

/// Strategies, smoothing, step limits, clamps, slow start and the stale-signal guard.
@Suite struct WeightPlannerTests {
    private let backends = EngineFixtures.addresses(3)

    private func signals(_ values: [Double], at time: PolicyInstant, signal: String = "util") -> PoolSignals {
        var backendSignals: [BackendAddress: BackendSignals] = [:]
        for (address, value) in zip(backends, values) {
            backendSignals[address] = EngineFixtures.backend([signal: value], at: time)
        }
        return PoolSignals(backends: backendSignals)
    }

    private func states(_ weights: [Int]) -> [BackendAddress: BackendWeightState] {
        var states: [BackendAddress: BackendWeightState] = [:]
        for (address, weight) in zip(backends, weights) {
            states[address] = BackendWeightState(base: Double(weight), routed: weight)
        }
        return states
    }

    /// One plan from routed weights `prior` and one fresh `util` value per backend.
    private func weigh(_ policy: WeightsPolicy, prior: [Int], util: [Double]) -> (weights: [Int], states: [BackendAddress: BackendWeightState]) {
        var states = states(prior)
        let now = EngineFixtures.at(0)
        let plan = WeightPlanner(policy: policy).plan(backends, joined: [], signals: signals(util, at: now), states: &states, now: now)
        return (plan.weights, states)
    }

    @Test func equalGivesEveryBackendTheMaximum() {
        var states: [BackendAddress: BackendWeightState] = [:]
        let plan = WeightPlanner(policy: WeightsPolicy(strategy: .equal, max: 10))
            .plan(backends, joined: [], signals: PoolSignals(), states: &states, now: EngineFixtures.at(0))
        #expect(plan.weights == [10, 10, 10])
    }

    @Test func staticWeightsAreUsedAsWrittenAndUnlistedBackendsGetTheMaximum() {
        var states: [BackendAddress: BackendWeightState] = [:]
        let policy = WeightsPolicy(strategy: .static, max: 50, staticWeights: [backends[0]: 1, backends[1]: 2])
        let plan = WeightPlanner(policy: policy).plan(backends, joined: [], signals: PoolSignals(), states: &states, now: EngineFixtures.at(0))
        #expect(plan.weights == [1, 2, 50])
    }

    @Test func headroomWeighsTheTrafficEachBackendCanCarryAtTarget() {
        let policy = WeightsPolicy(strategy: .headroom, signal: "util", target: 0.7, smoothing: 1)
        #expect(weigh(policy, prior: [100, 100, 100], util: [1.4, 0.7, 0.35]).weights == [25, 50, 100])
    }

    @Test func ratiosArePreservedInHAProxysRange() {
        let policy = WeightsPolicy(strategy: .headroom, signal: "util", target: 0.5, min: 0, max: 256, smoothing: 1)
        #expect(weigh(policy, prior: [256, 256, 256], util: [0.8, 0.4, 0.2]).weights == [64, 128, 256])
    }

    @Test func smoothingMovesPartWayTowardTheNewWeight() {
        let policy = WeightsPolicy(strategy: .headroom, signal: "util", target: 0.7, smoothing: 0.5)
        let result = weigh(policy, prior: [100, 100, 100], util: [1.4, 0.7, 0.35])
        #expect(result.weights == [63, 75, 100])
        #expect(result.states[backends[0]]?.base == 62.5)
    }

    @Test func roundingJitterDoesNotMoveARoutedWeight() {
        let policy = WeightsPolicy(strategy: .headroom, signal: "util", target: 0.5, smoothing: 1)
        #expect(weigh(policy, prior: [50, 50, 100], util: [0.496, 0.504, 0.5]).weights == [50, 50, 100])
        #expect(weigh(policy, prior: [50, 50, 100], util: [0.49, 0.51, 0.5]).weights == [51, 49, 100])
    }

    private func routing(_ weights: [Int], states: [BackendRouting.State]? = nil) -> [BackendRouting] {
        zip(backends, weights).enumerated().map { BackendRouting(address: $1.0, weight: $1.1, state: states?[$0] ?? .serving) }
    }

    @Test func minChangeHoldsMovesSmallerThanTheirShareOfTheRoutedWeight() {
        let planner = WeightPlanner(policy: WeightsPolicy(minChange: Percent(10)))
        #expect(!planner.isMaterial(routing([95, 54, 19]), since: routing([100, 50, 20])))
        #expect(planner.isMaterial(routing([100, 50, 22]), since: routing([100, 50, 20])))
        #expect(planner.isMaterial(routing([90, 50, 20]), since: routing([100, 50, 20])))
    }

    @Test func zeroMinChangeAppliesEveryMove() {
        let planner = WeightPlanner(policy: WeightsPolicy())
        #expect(planner.isMaterial(routing([100, 50, 21]), since: routing([100, 50, 20])))
    }

    @Test func minChangeAlwaysAppliesMembershipStateAndSlowStartChanges() {
        let planner = WeightPlanner(policy: WeightsPolicy(minChange: Percent(100)))
        let before = routing([100, 50, 20])
        #expect(planner.isMaterial(routing([100, 50, 0], states: [.serving, .serving, .ejected]), since: before))
        #expect(planner.isMaterial(routing([100, 50, 0], states: [.serving, .serving, .drained]), since: before))
        #expect(planner.isMaterial(Array(before.prefix(2)), since: before))
        let ramping: [BackendRouting.State] = [.serving, .serving, .slowStart]
        #expect(planner.isMaterial(routing([100, 50, 21], states: ramping), since: routing([100, 50, 20], states: ramping)))
    }

    @Test func maxStepLimitsEachChangeRelativeToTheCurrentWeight() {
        let policy = WeightsPolicy(strategy: .headroom, signal: "util", target: 0.7, smoothing: 1, maxStep: Percent(20))
        #expect(weigh(policy, prior: [100, 100, 100], util: [1.4, 0.7, 0.35]).weights == [80, 80, 100])
    }

    @Test func clampsBoundEveryWeight() {
        let policy = WeightsPolicy(strategy: .headroom, signal: "util", target: 0.7, min: 20, max: 50, smoothing: 1)
        #expect(weigh(policy, prior: [50, 50, 50], util: [7, 0.7, 0.07]).weights == [20, 20, 50])
    }

    @Test func slowStartRampsLinearlyFromTenPercent() {
        let policy = WeightsPolicy(strategy: .equal, slowStart: .seconds(60))
        let planner = WeightPlanner(policy: policy)
        var states = states([100, 100])
        let joining = backends[2]
        let start = planner.plan(backends, joined: [joining], signals: PoolSignals(), states: &states, now: EngineFixtures.at(0))
        #expect(start.weights == [100, 100, 10])
        #expect(start.ramping == [false, false, true])
        let half = planner.plan(backends, joined: [], signals: PoolSignals(), states: &states, now: EngineFixtures.at(30))
        #expect(half.weights == [100, 100, 50])
        let done = planner.plan(backends, joined: [], signals: PoolSignals(), states: &states, now: EngineFixtures.at(60))
        #expect(done.weights == [100, 100, 100])
        #expect(done.ramping == [false, false, false])
        #expect(states[joining]?.rampStart == nil)
    }

    @Test func staleSignalKeepsTheLastWeight() {
        var states = states([40, 100, 100])
        let policy = WeightsPolicy(strategy: .headroom, signal: "util", target: 0.5, smoothing: 1, staleAfter: .seconds(30))
        let now = EngineFixtures.at(100)
        var input = signals([0.01, 0.5, 0.5], at: now)
        input.backends[backends[0]] = EngineFixtures.backend(["util": 0.01], at: EngineFixtures.at(60))
        let plan = WeightPlanner(policy: policy).plan(backends, joined: [], signals: input, states: &states, now: now)
        #expect(plan.weights == [40, 100, 100])
        #expect(plan.values[0] == nil)
    }

    @Test func backendWithoutAnyWeightYetGetsTheMeanOfTheOthers() {
        let policy = WeightsPolicy(strategy: .headroom, signal: "util", target: 0.5, smoothing: 1)
        #expect(weigh(policy, prior: [50, 100], util: [0.5, 0.5]).weights == [50, 100, 75])
    }

    @Test func inverseFollowsPeakEWMALatency() {
        let policy = WeightsPolicy(strategy: .inverse, signal: "p99", smoothing: 1)
        let planner = WeightPlanner(policy: policy)
        var states: [BackendAddress: BackendWeightState] = [:]
        let first = planner.plan(
            backends,
            joined: [],
            signals: signals([0.1, 0.2, 0.4], at: EngineFixtures.at(0), signal: "p99"),
            states: &states,
            now: EngineFixtures.at(0)
        )
        #expect(first.weights == [100, 50, 25])
        let spike = planner.plan(
            backends,
            joined: [],
            signals: signals([0.4, 0.2, 0.4], at: EngineFixtures.at(10), signal: "p99"),
            states: &states,
            now: EngineFixtures.at(10)
        )
        #expect(spike.weights == [50, 100, 50])
        let recovering = planner.plan(
            backends,
            joined: [],
            signals: signals([0.1, 0.2, 0.4], at: EngineFixtures.at(20), signal: "p99"),
            states: &states,
            now: EngineFixtures.at(20)
        )
        #expect(recovering.weights[0] < 100 && recovering.weights[0] > 50)
    }

    @Test func idleBackendUnderInverseWeighsAtMostAHundredTimesAnAverageOne() {
        var costs = [0, 4, 4, .nan]
        WeightPlanner.invertCosts(&costs)
        let meanCost = 8.0 / 3
        #expect(abs(costs[0] - 100 / meanCost) < 1e-9)
        #expect(costs[1] == 0.25)
        #expect(costs[3].isNaN)
        var idle = [0.0, 0.0]
        WeightPlanner.invertCosts(&idle)
        #expect(idle == [1, 1])
    }

    @Test func peakEWMATakesRisesAtOnceAndDecaysFalls() {
        let rise = WeightPlanner.peakEWMA(cost: 0.1, at: EngineFixtures.at(0), sample: SignalSample(value: 0.5, timestamp: EngineFixtures.at(1)))
        #expect(rise == 0.5)
        let fall = WeightPlanner.peakEWMA(cost: 0.5, at: EngineFixtures.at(0), sample: SignalSample(value: 0.1, timestamp: EngineFixtures.at(10)))
        #expect(fall > 0.1 && fall < 0.5)
        let replayed = WeightPlanner.peakEWMA(
            cost: 0.5,
            at: EngineFixtures.at(10),
            sample: SignalSample(value: 0.1, timestamp: EngineFixtures.at(10))
        )
        #expect(replayed == 0.5)
    }
}
