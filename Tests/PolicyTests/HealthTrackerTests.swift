import Testing

@testable import Policy

/// Rise/fall hysteresis and Envoy-style ejection.
@Suite struct HealthTrackerTests {
    private let backends = EngineFixtures.addresses(4)

    private func signals(down: Set<Int>, errorRatio: [Int: Double] = [:], at seconds: Int64) -> PoolSignals {
        var input = PoolSignals()
        for (index, address) in backends.enumerated() {
            var values: [String: Double] = [:]
            if let ratio = errorRatio[index] { values["error_ratio"] = ratio }
            input.backends[address] = EngineFixtures.backend(up: !down.contains(index), values, at: EngineFixtures.at(seconds))
        }
        return input
    }

    private func observe(_ tracker: HealthTracker, _ input: PoolSignals, _ states: inout [BackendState]) {
        for (index, address) in backends.enumerated() {
            tracker.observe(&states[index].health, signals: input.backends[address])
        }
    }

    @Test func backendTurnsUnhealthyOnlyAfterFallConsecutiveFailures() {
        let tracker = HealthTracker(policy: HealthPolicy(unhealthyAfter: 3, healthyAfter: 2))
        var states = backends.map { BackendState(address: $0, tier: .active) }
        for (second, down) in [(0, true), (15, false), (30, true), (45, true)] {
            observe(tracker, signals(down: down ? [0] : [], at: Int64(second)), &states)
        }
        #expect(states[0].health.healthy == true)
        observe(tracker, signals(down: [0], at: 60), &states)
        #expect(states[0].health.healthy == false)
        observe(tracker, signals(down: [], at: 75), &states)
        #expect(states[0].health.healthy == false)
        observe(tracker, signals(down: [], at: 90), &states)
        #expect(states[0].health.healthy == true)
    }

    @Test func scrapeStreaksCountScrapesHoweverOftenThePoolIsEvaluated() {
        let tracker = HealthTracker(policy: HealthPolicy(unhealthyAfter: 3, healthyAfter: 2))
        var health = BackendHealth()
        func observe(up: Bool, streak: Int) {
            tracker.observe(&health, signals: BackendSignals(up: up, values: [:], upStreak: streak))
        }
        observe(up: false, streak: 2)
        observe(up: false, streak: 2)
        #expect(health.healthy, "the same two failed scrapes seen twice are still two")
        observe(up: false, streak: 3)
        #expect(!health.healthy)
        observe(up: true, streak: 1)
        #expect(!health.healthy)
        observe(up: true, streak: 2)
        #expect(health.healthy)
    }

    @Test func policyConditionCountsAsAFailure() {
        let condition = SignalCondition(signal: "error_ratio", comparison: .greaterThan, threshold: 0.05)
        let tracker = HealthTracker(policy: HealthPolicy(unhealthyAfter: 1, ejectWhen: condition))
        var states = backends.map { BackendState(address: $0, tier: .active) }
        observe(tracker, signals(down: [], errorRatio: [1: 0.2, 2: 0.01], at: 0), &states)
        #expect(states[1].health.healthy == false)
        #expect(states[1].health.lastFailure == "error_ratio 0.2 > 0.05")
        #expect(states[2].health.healthy == true)
    }

    @Test func unknownScrapeStateChangesNothing() {
        let tracker = HealthTracker(policy: HealthPolicy(unhealthyAfter: 1))
        var states = backends.map { BackendState(address: $0, tier: .active) }
        observe(tracker, PoolSignals(), &states)
        #expect(states[0].health == BackendHealth())
    }

    @Test func ejectionTimeGrowsWithEachEjectionUpToTheCap() {
        let policy = HealthPolicy(unhealthyAfter: 1, ejectFor: .seconds(30), maxEjectFor: .seconds(75), maxEjected: Percent(50))
        let tracker = HealthTracker(policy: policy)
        var states = backends.map { BackendState(address: $0, tier: .active) }
        var lengths: [Int64] = []
        var second: Int64 = 0
        for _ in 0..<4 {
            observe(tracker, signals(down: [0], at: second), &states)
            let result = tracker.eject(Array(backends.indices), backends: &states, now: EngineFixtures.at(second))
            for draft in result.decisions {
                if case .eject(_, let until) = draft.action {
                    lengths.append((until.milliseconds - EngineFixtures.at(second).milliseconds) / 1000)
                    second = (until.milliseconds - EngineFixtures.at(0).milliseconds) / 1000
                }
            }
        }
        #expect(lengths == [30, 60, 75, 75])
    }

    @Test func recoveredBackendReturnsWhenItsEjectionEnds() {
        let tracker = HealthTracker(policy: HealthPolicy(unhealthyAfter: 1, healthyAfter: 1, maxEjected: Percent(50)))
        var states = backends.map { BackendState(address: $0, tier: .active) }
        observe(tracker, signals(down: [2], at: 0), &states)
        _ = tracker.eject(Array(backends.indices), backends: &states, now: EngineFixtures.at(0))
        observe(tracker, signals(down: [], at: 15), &states)
        let early = tracker.eject(Array(backends.indices), backends: &states, now: EngineFixtures.at(15))
        #expect(early.restored.isEmpty)
        observe(tracker, signals(down: [], at: 30), &states)
        let restored = tracker.eject(Array(backends.indices), backends: &states, now: EngineFixtures.at(30))
        #expect(restored.restored == [2])
        #expect(states[2].health.isAvailable == true)
    }

    @Test func ejectionMultiplierDecaysWhileTheBackendStaysHealthy() {
        let tracker = HealthTracker(policy: HealthPolicy(unhealthyAfter: 1, healthyAfter: 1, ejectFor: .seconds(30), maxEjected: Percent(50)))
        var states = backends.map { BackendState(address: $0, tier: .active) }
        observe(tracker, signals(down: [0], at: 0), &states)
        _ = tracker.eject(Array(backends.indices), backends: &states, now: EngineFixtures.at(0))
        for second in stride(from: Int64(30), through: 90, by: 15) {
            observe(tracker, signals(down: [], at: second), &states)
            _ = tracker.eject(Array(backends.indices), backends: &states, now: EngineFixtures.at(second))
        }
        #expect(states[0].health.ejections == 0)
    }

    @Test func ejectedShareIsCappedAndTheCapIsJournaledOnce() {
        let tracker = HealthTracker(policy: HealthPolicy(unhealthyAfter: 1, maxEjected: Percent(25)))
        var states = backends.map { BackendState(address: $0, tier: .active) }
        observe(tracker, signals(down: [0, 1], at: 0), &states)
        let first = tracker.eject(Array(backends.indices), backends: &states, now: EngineFixtures.at(0))
        #expect(first.decisions.map(\.action) == [.eject(address: backends[0], until: EngineFixtures.at(30)), .ejectionCapped(address: backends[1])])
        observe(tracker, signals(down: [0, 1], at: 15), &states)
        #expect(tracker.eject(Array(backends.indices), backends: &states, now: EngineFixtures.at(15)).decisions.isEmpty)
    }

    @Test func atLeastOneBackendMayBeEjectedWhateverTheShare() {
        #expect(HealthTracker.maxEjections(tierSize: 1, share: Percent(10)) == 1)
        #expect(HealthTracker.maxEjections(tierSize: 2, share: Percent(10)) == 1)
        #expect(HealthTracker.maxEjections(tierSize: 20, share: Percent(10)) == 2)
        #expect(HealthTracker.maxEjections(tierSize: 4, share: Percent(100)) == 4)
    }
}
