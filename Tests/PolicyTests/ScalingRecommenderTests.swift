import Testing

@testable import Policy

/// The HPA pipeline cases, each named after the behaviour Kubernetes documents for it.
@Suite struct ScalingRecommenderTests {
    private static let cpu = ScalingTarget(signal: "cpu", value: 0.6)

    private func policy(
        min: Int = 1,
        max: Int = 20,
        targets: [ScalingTarget] = [cpu],
        up: ScalingBehavior = .hpaScaleUp,
        down: ScalingBehavior = .init(stabilization: .zero, policies: ScalingBehavior.hpaScaleDown.policies),
        cooldown: PolicyDuration = .zero,
        steps: StepScaling? = nil,
        fallback: ScalingFallback? = nil
    ) -> ScalingPolicy {
        ScalingPolicy(min: min, max: max, targets: targets, up: up, down: down, cooldown: cooldown, steps: steps, fallback: fallback)
    }

    private func cpu(_ values: Double?...) -> ScalingReadings {
        ["cpu": .backends(values: values, unready: 0)]
    }

    private func run(_ policy: ScalingPolicy, current: Int, _ readings: ScalingReadings, state: inout ScalingState, at seconds: Int64) -> Int {
        ScalingRecommender(policy: policy).recommend(current: current, readings: readings, state: &state, now: EngineFixtures.at(seconds)).desired
    }

    @Test func ratioInsideToleranceKeepsTheReplicaCount() {
        var state = ScalingState()
        #expect(run(policy(), current: 4, cpu(0.65, 0.65, 0.65, 0.65), state: &state, at: 0) == 4)
        #expect(run(policy(), current: 4, cpu(0.55, 0.55, 0.55, 0.55), state: &state, at: 15) == 4)
    }

    @Test func ratioOutsideToleranceProposesCeilOfRatioTimesBackends() {
        var state = ScalingState()
        #expect(run(policy(), current: 4, cpu(0.9, 0.9, 0.9, 0.9), state: &state, at: 0) == 6)
        var down = ScalingState()
        #expect(run(policy(), current: 4, cpu(0.2, 0.2, 0.2, 0.2), state: &down, at: 0) == 2)
    }

    @Test func defaultScaleUpAllowsDoubleOrFourMoreWhicheverIsLarger() {
        var state = ScalingState()
        #expect(run(policy(), current: 2, cpu(3, 3), state: &state, at: 0) == 6)
        var large = ScalingState()
        let ten = MetricReading.backends(values: Array(repeating: 3, count: 10), unready: 0)
        #expect(run(policy(max: 100), current: 10, ["cpu": ten], state: &large, at: 0) == 20)
    }

    @Test func scaleUpEventsInsideThePeriodCountAgainstTheLimit() {
        var state = ScalingState()
        let hot = MetricReading.backends(values: [6, 6], unready: 0)
        #expect(run(policy(max: 100), current: 2, ["cpu": hot], state: &state, at: 0) == 6)
        let hotter = MetricReading.backends(values: Array(repeating: 6, count: 6), unready: 0)
        #expect(run(policy(max: 100), current: 6, ["cpu": hotter], state: &state, at: 10) == 6)
        #expect(run(policy(max: 100), current: 6, ["cpu": hotter], state: &state, at: 16) == 12)
    }

    @Test func selectMinPicksThePolicyAllowingTheSmallestChange() {
        let up = ScalingBehavior(
            stabilization: .zero,
            policies: [.init(change: .percent(100), period: .seconds(15)), .init(change: .replicas(1), period: .seconds(15))],
            select: .min
        )
        var state = ScalingState()
        #expect(run(policy(up: up), current: 4, cpu(3, 3, 3, 3), state: &state, at: 0) == 5)
        let down = ScalingBehavior(
            stabilization: .zero,
            policies: [.init(change: .percent(50), period: .seconds(60)), .init(change: .replicas(1), period: .seconds(60))],
            select: .min
        )
        var shrinking = ScalingState()
        let idle = MetricReading.backends(values: Array(repeating: 0.01, count: 10), unready: 0)
        #expect(run(policy(down: down), current: 10, ["cpu": idle], state: &shrinking, at: 0) == 9)
    }

    @Test func selectMaxForScaleDownPicksTheLargestChange() {
        let down = ScalingBehavior(
            stabilization: .zero,
            policies: [.init(change: .percent(50), period: .seconds(60)), .init(change: .replicas(1), period: .seconds(60))],
            select: .max
        )
        var state = ScalingState()
        let idle = MetricReading.backends(values: Array(repeating: 0.01, count: 10), unready: 0)
        #expect(run(policy(down: down), current: 10, ["cpu": idle], state: &state, at: 0) == 5)
    }

    @Test func disabledDirectionNeverChanges() {
        let disabled = ScalingBehavior(stabilization: .zero, policies: ScalingBehavior.hpaScaleUp.policies, select: .disabled)
        var state = ScalingState()
        #expect(run(policy(up: disabled), current: 4, cpu(3, 3, 3, 3), state: &state, at: 0) == 4)
        var down = ScalingState()
        #expect(run(policy(down: disabled), current: 4, cpu(0.1, 0.1, 0.1, 0.1), state: &down, at: 0) == 4)
    }

    @Test func replicasPolicyLimitsScaleDownPerPeriod() {
        let down = ScalingBehavior(stabilization: .zero, policies: [.init(change: .replicas(1), period: .seconds(60))])
        var state = ScalingState()
        let idle = MetricReading.backends(values: Array(repeating: 0.1, count: 5), unready: 0)
        #expect(run(policy(down: down), current: 5, ["cpu": idle], state: &state, at: 0) == 4)
        #expect(run(policy(down: down), current: 4, ["cpu": idle], state: &state, at: 30) == 4)
        #expect(run(policy(down: down), current: 4, ["cpu": idle], state: &state, at: 61) == 3)
    }

    @Test func scaleDownStabilizationUsesTheHighestRecommendationInTheWindow() {
        let down = ScalingBehavior.hpaScaleDown
        var state = ScalingState()
        #expect(run(policy(down: down), current: 4, cpu(0.6, 0.6, 0.6, 0.6), state: &state, at: 0) == 4)
        #expect(run(policy(down: down), current: 4, cpu(0.2, 0.2, 0.2, 0.2), state: &state, at: 60) == 4)
        #expect(run(policy(down: down), current: 4, cpu(0.2, 0.2, 0.2, 0.2), state: &state, at: 299) == 4)
        #expect(run(policy(down: down), current: 4, cpu(0.2, 0.2, 0.2, 0.2), state: &state, at: 301) == 2)
    }

    @Test func firstEvaluationWaitsAWholeDownWindowLikeAnHPAAfterRestart() {
        var state = ScalingState()
        let down = ScalingBehavior.hpaScaleDown
        #expect(run(policy(down: down), current: 4, cpu(0.1, 0.1, 0.1, 0.1), state: &state, at: 0) == 4)
        #expect(run(policy(down: down), current: 4, cpu(0.1, 0.1, 0.1, 0.1), state: &state, at: 301) == 1)
    }

    @Test func scaleUpStabilizationUsesTheLowestRecommendationInTheWindow() {
        let up = ScalingBehavior(stabilization: .seconds(60), policies: ScalingBehavior.hpaScaleUp.policies)
        var state = ScalingState()
        #expect(run(policy(up: up), current: 4, cpu(0.6, 0.6, 0.6, 0.6), state: &state, at: 0) == 4)
        #expect(run(policy(up: up), current: 4, cpu(1.2, 1.2, 1.2, 1.2), state: &state, at: 15) == 4)
        #expect(run(policy(up: up), current: 4, cpu(1.2, 1.2, 1.2, 1.2), state: &state, at: 61) == 8)
    }

    @Test func missingBackendsCountAsZeroOnScaleUp() {
        var state = ScalingState()
        #expect(run(policy(), current: 4, cpu(1.2, 1.2, nil, nil), state: &state, at: 0) == 4)
        var hotter = ScalingState()
        #expect(run(policy(), current: 4, cpu(1.8, 1.8, nil, nil), state: &hotter, at: 0) == 6)
    }

    @Test func missingBackendsCountAsAtTargetOnScaleDown() {
        var state = ScalingState()
        #expect(run(policy(), current: 4, cpu(0.3, 0.3, nil, nil), state: &state, at: 0) == 3)
    }

    @Test func unreadyBackendsCountAsZeroOnScaleUp() {
        var state = ScalingState()
        let reading = MetricReading.backends(values: [1.2, 1.2], unready: 2)
        #expect(run(policy(), current: 4, ["cpu": reading], state: &state, at: 0) == 4)
    }

    @Test func theLargestProposalAcrossSignalsWins() {
        let targets = [Self.cpu, ScalingTarget(signal: "inflight", value: 10)]
        var state = ScalingState()
        let readings: ScalingReadings = [
            "cpu": .backends(values: [0.6, 0.6], unready: 0),
            "inflight": .backends(values: [30, 30], unready: 0),
        ]
        #expect(run(policy(targets: targets), current: 2, readings, state: &state, at: 0) == 6)
    }

    @Test func anInvalidSignalBlocksScaleDownButNotScaleUp() {
        let targets = [Self.cpu, ScalingTarget(signal: "p99", value: 0.25)]
        var state = ScalingState()
        let low: ScalingReadings = ["cpu": .backends(values: [0.1, 0.1, 0.1, 0.1], unready: 0), "p99": .failed("query timed out")]
        let recommender = ScalingRecommender(policy: policy(targets: targets))
        let blocked = recommender.recommend(current: 4, readings: low, state: &state, now: EngineFixtures.at(0))
        #expect(blocked.desired == 4)
        #expect(blocked.reason.contains("blocked by an invalid signal"))
        let high: ScalingReadings = ["cpu": .backends(values: [1.2, 1.2, 1.2, 1.2], unready: 0), "p99": .failed("query timed out")]
        #expect(run(policy(targets: targets), current: 4, high, state: &state, at: 15) == 8)
    }

    @Test func allSignalsInvalidKeepsTheReplicaCount() {
        var state = ScalingState()
        #expect(run(policy(), current: 3, ["cpu": .failed("no data")], state: &state, at: 0) == 3)
        #expect(run(policy(), current: 3, cpu(nil, nil, nil), state: &state, at: 15) == 3)
    }

    @Test func minAndMaxBoundEveryResult() {
        var state = ScalingState()
        #expect(run(policy(max: 5), current: 4, cpu(3, 3, 3, 3), state: &state, at: 0) == 5)
        var low = ScalingState()
        #expect(run(policy(min: 3), current: 4, cpu(0.01, 0.01, 0.01, 0.01), state: &low, at: 0) == 3)
        var above = ScalingState()
        #expect(run(policy(max: 5), current: 9, cpu(0.6), state: &above, at: 0) == 5)
        var below = ScalingState()
        #expect(run(policy(min: 2), current: 1, cpu(0.6), state: &below, at: 0) == 2)
    }

    @Test func zeroReplicasDisablesScalingAsTheHPADoes() {
        var state = ScalingState()
        #expect(run(policy(min: 1), current: 0, cpu(3), state: &state, at: 0) == 0)
    }

    @Test func cooldownHoldsTheCountAfterAScaleEvent() {
        var state = ScalingState()
        let cooled = policy(cooldown: .seconds(60))
        #expect(run(cooled, current: 2, cpu(1.2, 1.2), state: &state, at: 0) == 4)
        #expect(run(cooled, current: 4, cpu(1.2, 1.2, 1.2, 1.2), state: &state, at: 30) == 4)
        #expect(run(cooled, current: 4, cpu(1.2, 1.2, 1.2, 1.2), state: &state, at: 61) == 8)
    }

    @Test func persistentMetricFailuresFallBackToTheConfiguredCount() {
        var state = ScalingState()
        let kept = policy(fallback: ScalingFallback(replicas: 6, afterFailures: 3))
        let failing: ScalingReadings = ["cpu": .failed("connection refused")]
        #expect(run(kept, current: 2, failing, state: &state, at: 0) == 2)
        #expect(run(kept, current: 2, failing, state: &state, at: 15) == 2)
        #expect(run(kept, current: 2, failing, state: &state, at: 30) == 6)
        #expect(run(kept, current: 6, cpu(0.6, 0.6, 0.6, 0.6, 0.6, 0.6), state: &state, at: 45) == 6)
        #expect(state.signalFailures["cpu"] == nil)
    }

    @Test func stepScalingAppliesTheBandHoldingThePoolAverage() {
        let steps = StepScaling(
            signal: "cpu",
            thresholds: [
                StepThreshold(lower: 0.8, upper: nil, adjustment: .delta(2)),
                StepThreshold(lower: nil, upper: 0.2, adjustment: .percent(-50)),
                StepThreshold(lower: 0.5, upper: 0.8, adjustment: .exact(5)),
            ]
        )
        let stepped = policy(targets: [], steps: steps)
        var state = ScalingState()
        #expect(run(stepped, current: 4, cpu(0.9, 0.9), state: &state, at: 0) == 6)
        var low = ScalingState()
        #expect(run(stepped, current: 4, cpu(0.1, 0.1), state: &low, at: 0) == 2)
        var middle = ScalingState()
        #expect(run(stepped, current: 4, cpu(0.6, 0.6), state: &middle, at: 0) == 5)
        var none = ScalingState()
        #expect(run(stepped, current: 4, cpu(0.3, 0.3), state: &none, at: 0) == 4)
    }

    @Test func poolWideValueScalesTheReplicaCountByTheRatio() {
        var state = ScalingState()
        #expect(run(policy(), current: 3, ["cpu": .pool(1.0)], state: &state, at: 0) == 5)
    }
}
