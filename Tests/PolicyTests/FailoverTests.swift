import Testing

@testable import Policy

/// Failover scenarios driven through the whole engine, evaluation by evaluation.
@Suite struct FailoverTests {
    private static let primary = EngineFixtures.address("10.0.0.1:5432")
    private static let replica = EngineFixtures.address("10.0.0.2:5432")

    /// A database pair: one primary, one replica gated on replication lag.
    private static func databasePair(failback: FailbackMode = .auto, holdDown: PolicyDuration = .seconds(120)) -> PoolPolicy {
        PoolPolicy(
            pool: "db",
            backends: BackendSource(staticAddresses: [primary]),
            health: HealthPolicy(unhealthyAfter: 2, healthyAfter: 2),
            failover: FailoverPolicy(
                standby: [replica],
                holdDown: holdDown,
                failback: failback,
                failbackDelay: .seconds(60),
                eligibility: StandbyEligibility(maxLag: LagBound(signal: "lag", max: 10))
            )
        )
    }

    /// Drives a pool evaluation by evaluation, keeping the state and every decision.
    struct Run {
        var policy: PoolPolicy
        var state = EngineState()
        var decisions: [Decision] = []
        var last: EngineOutcome?

        init(_ policy: PoolPolicy) {
            self.policy = policy
        }

        @discardableResult
        mutating func step(at seconds: Int64, down: Set<BackendAddress> = [], lag: Double = 0, commands: [OperatorCommand] = []) -> [Decision] {
            let now = EngineFixtures.at(seconds)
            var input = PoolSignals(commands: commands)
            for address in policy.backends.staticAddresses + (policy.failover?.standby ?? []) {
                input.backends[address] = EngineFixtures.backend(up: !down.contains(address), ["lag": lag], at: now)
            }
            let outcome = PolicyEngine.evaluate(policy: policy, signals: input, state: state, now: now)
            state = outcome.state
            decisions += outcome.decisions
            last = outcome
            return outcome.decisions
        }

        func routing(_ address: BackendAddress) -> BackendRouting? {
            last?.routing.first { $0.address == address }
        }
    }

    private func actions(_ decisions: [Decision]) -> [Decision.Action] {
        decisions.compactMap { if case .weights = $0.action { nil } else { $0.action } }
    }

    @Test func standbyIsPromotedWhenTheActiveTierFails() {
        var run = Run(Self.databasePair())
        run.step(at: 0)
        #expect(run.routing(Self.primary)?.state == .serving)
        #expect(run.routing(Self.replica)?.state == .standby)
        #expect(actions(run.step(at: 15, down: [Self.primary])).isEmpty)
        let promoted = run.step(at: 30, down: [Self.primary])
        #expect(actions(promoted).contains(.failover(promote: Self.replica, serving: [Self.replica])))
        let failover = promoted.first { if case .failover = $0.action { true } else { false } }
        #expect(failover?.reason.contains("active tier 0 of 1 healthy") == true)
        #expect(run.routing(Self.replica)?.state == .serving)
        #expect(run.routing(Self.primary)?.weight == 0)
        #expect(run.last?.servingTier == .standby)
    }

    @Test func laggingStandbyIsNeverPromotedAndTheReasonSaysSo() {
        var run = Run(Self.databasePair())
        run.step(at: 0, lag: 42)
        run.step(at: 15, down: [Self.primary], lag: 42)
        let blocked = run.step(at: 30, down: [Self.primary], lag: 42)
        #expect(actions(blocked).contains(.failoverBlocked))
        #expect(blocked.first { $0.action == .failoverBlocked }?.reason.contains("lags: lag 42 > max 10") == true)
        #expect(run.routing(Self.primary)?.state == .serving, "panic keeps the only backend in rotation")
        #expect(actions(run.step(at: 45, down: [Self.primary], lag: 42)).isEmpty, "a persisting block is journaled once")
        #expect(run.last?.servingTier == .active)
        let caughtUp = run.step(at: 60, down: [Self.primary], lag: 3)
        #expect(actions(caughtUp).contains(.failover(promote: Self.replica, serving: [Self.replica])))
    }

    @Test func panicThresholdZeroStillRoutesToADeadPrimaryWhileNoStandbyIsEligible() {
        var policy = Self.databasePair()
        policy.health.panicThreshold = Percent(0)
        var run = Run(policy)
        run.step(at: 0, lag: 42)
        run.step(at: 15, down: [Self.primary], lag: 42)
        let out = run.step(at: 30, down: [Self.primary], lag: 42)
        #expect(actions(out).contains(.eject(address: Self.primary, until: EngineFixtures.at(60))))
        #expect(actions(out).contains(.failoverBlocked))
        let panic = out.first { $0.action == .panic(entered: true) }
        #expect(panic?.reason == "0 of 1 backends healthy (0%); no healthy backend: routing to all 1 rather than to none")
        #expect(run.last?.panic == true)
        #expect(run.routing(Self.primary) == BackendRouting(address: Self.primary, weight: 1, state: .serving))
        #expect(run.routing(Self.replica)?.state == .standby)

        let caughtUp = run.step(at: 45, down: [Self.primary], lag: 3)
        #expect(actions(caughtUp).contains(.failover(promote: Self.replica, serving: [Self.replica])))
        #expect(actions(caughtUp).contains(.panic(entered: false)), "the promoted replica is healthy, so panic ends")
        #expect(run.routing(Self.primary)?.weight == 0)
        #expect(run.routing(Self.replica) == BackendRouting(address: Self.replica, weight: 1, state: .serving))
    }

    @Test func panicThresholdZeroRoutesToTheFewHealthyAndToAllOnlyWhenNoneIsLeft() {
        let backends = EngineFixtures.addresses(4)
        let policy = PoolPolicy(
            pool: "web",
            backends: BackendSource(staticAddresses: backends),
            health: HealthPolicy(unhealthyAfter: 1, maxEjected: Percent(100), panicThreshold: Percent(0))
        )
        var run = Run(policy)
        run.step(at: 0)
        let few = run.step(at: 15, down: Set(backends.prefix(3)))
        #expect(!actions(few).contains(.panic(entered: true)), "0% turns off proportional panic")
        #expect(run.last?.routing.map(\.weight) == [0, 0, 0, 1])
        let none = run.step(at: 30, down: Set(backends))
        #expect(
            none.first { $0.action == .panic(entered: true) }?.reason.hasSuffix("no healthy backend: routing to all 4 rather than to none") == true
        )
        #expect(run.last?.routing.allSatisfy { $0.weight == 1 && $0.state == .serving } == true)
    }

    @Test func standbyTierThatServedAndDiedKeepsTrafficUnderManualFailback() {
        var policy = Self.databasePair(failback: .manual)
        policy.health.panicThreshold = Percent(0)
        var run = Run(policy)
        run.step(at: 0)
        run.step(at: 15, down: [Self.primary])
        run.step(at: 30, down: [Self.primary])
        #expect(run.last?.servingTier == .standby)
        run.step(at: 45, down: [Self.replica])
        let dead = run.step(at: 60, down: [Self.replica])
        #expect(actions(dead).contains(.panic(entered: true)))
        #expect(run.last?.servingTier == .standby, "failback is manual: the old primary may be stale")
        #expect(run.routing(Self.replica) == BackendRouting(address: Self.replica, weight: 1, state: .serving))
        #expect(run.routing(Self.primary)?.weight == 0)
    }

    @Test func holdDownBlocksFlappingBetweenTiers() {
        var run = Run(Self.databasePair(holdDown: .seconds(300)))
        run.step(at: 0)
        run.step(at: 15, down: [Self.primary])
        run.step(at: 30, down: [Self.primary])
        #expect(run.last?.servingTier == .standby)
        for second in stride(from: Int64(45), through: 315, by: 15) {
            run.step(at: second)
            #expect(run.last?.servingTier == .standby, "failed back at \(second)s, inside the hold-down")
        }
        let back = run.step(at: 330)
        #expect(actions(back).contains(.failback))
        run.step(at: 345, down: [Self.primary])
        let heldDown = run.step(at: 360, down: [Self.primary])
        #expect(heldDown.first { $0.action == .failoverBlocked }?.reason.contains("held down") == true)
        #expect(run.last?.servingTier == .active)
    }

    @Test func automaticFailbackWaitsForTheActiveTierToStayHealthy() {
        var run = Run(Self.databasePair(holdDown: .seconds(30)))
        run.step(at: 0)
        run.step(at: 15, down: [Self.primary])
        run.step(at: 30, down: [Self.primary])
        run.step(at: 45)
        run.step(at: 60)
        #expect(run.last?.servingTier == .standby)
        run.step(at: 75, down: [Self.primary])
        run.step(at: 90, down: [Self.primary])
        run.step(at: 105)
        run.step(at: 120)
        // Ejected again at 90 for 60 s (second ejection): healthy, but not available before 150.
        run.step(at: 150)
        run.step(at: 195)
        #expect(run.last?.servingTier == .standby)
        let back = run.step(at: 210)
        #expect(actions(back) == [.failback])
        #expect(back.first { $0.action == .failback }?.reason.contains("failback after 1m") == true)
        #expect(run.routing(Self.primary)?.state == .serving)
    }

    @Test func manualFailbackWaitsForTheOperator() {
        var run = Run(Self.databasePair(failback: .manual, holdDown: .zero))
        run.step(at: 0)
        run.step(at: 15, down: [Self.primary])
        run.step(at: 30, down: [Self.primary])
        for second in stride(from: Int64(45), through: 600, by: 15) {
            run.step(at: second)
        }
        #expect(run.last?.servingTier == .standby)
        let back = run.step(at: 615, commands: [.failback])
        #expect(back.first?.action == .failback)
        #expect(back.first?.origin == .operator)
        #expect(run.last?.servingTier == .active)
    }

    @Test func operatorSwitchoverIgnoresHoldDownButNotEligibility() {
        var run = Run(Self.databasePair(holdDown: .seconds(3600)))
        run.step(at: 0)
        let refused = run.step(at: 15, lag: 30, commands: [.failover])
        #expect(refused.first?.action == .rejected(command: .failover))
        #expect(refused.first?.reason.contains("lags") == true)
        let switched = run.step(at: 30, commands: [.failover])
        #expect(switched.first?.action == .failover(promote: Self.replica, serving: [Self.replica]))
        #expect(switched.first?.origin == .operator)
        let back = run.step(at: 45, commands: [.failback])
        #expect(back.first?.action == .failback)
        let again = run.step(at: 60, commands: [.failback])
        #expect(again.first?.action == .rejected(command: .failback))
    }

    @Test func trafficReturnsToTheActiveTierWhenTheServingStandbyLeavesThePool() {
        var run = Run(Self.databasePair())
        run.step(at: 0)
        run.step(at: 15, down: [Self.primary])
        run.step(at: 30, down: [Self.primary])
        #expect(run.last?.servingTier == .standby)
        run.policy.failover = nil
        let back = run.step(at: 45, down: [Self.primary])
        #expect(back.first?.action == .failback)
        #expect(run.last?.servingTier == .active)
        #expect(run.routing(Self.primary)?.state == .serving)
        #expect(run.routing(Self.replica) == nil)
    }

    @Test func operatorSwitchoverIsNotUndoneByAutomaticFailback() {
        var run = Run(Self.databasePair(failback: .auto, holdDown: .seconds(30)))
        run.step(at: 0)
        run.step(at: 15, commands: [.failover])
        for second in stride(from: Int64(30), through: 600, by: 15) {
            run.step(at: second)
        }
        #expect(run.last?.servingTier == .standby)
        run.step(at: 615, commands: [.failback])
        #expect(run.last?.servingTier == .active)
        run.step(at: 630, down: [Self.primary])
        run.step(at: 645, down: [Self.primary])
        run.step(at: 660)
        run.step(at: 675)
        run.step(at: 750)
        #expect(run.last?.servingTier == .active, "an automatic failover after the operator's failback fails back by itself again")
    }

    @Test func commandsWithoutAStandbyTierAreRejected() {
        var run = Run(PoolPolicy(pool: "web", backends: BackendSource(staticAddresses: EngineFixtures.addresses(2))))
        let refused = run.step(at: 0, commands: [.failover])
        #expect(refused.first?.action == .rejected(command: .failover))
        #expect(refused.first?.reason == "failover refused: the pool has no standby tier")
    }

    @Test func panicRoutesToEveryBackendWhenTooFewAreHealthy() {
        let backends = EngineFixtures.addresses(4)
        var run = Run(PoolPolicy(pool: "web", backends: BackendSource(staticAddresses: backends), health: HealthPolicy(unhealthyAfter: 1)))
        run.step(at: 0)
        let failing = run.step(at: 15, down: Set(backends.prefix(3)))
        #expect(actions(failing).contains(.panic(entered: true)))
        #expect(run.last?.panic == true)
        #expect(run.last?.routing.allSatisfy { $0.weight > 0 } == true)
        run.step(at: 30)
        let recovered = run.step(at: 45)
        #expect(actions(run.decisions).contains(.panic(entered: false)))
        #expect(actions(recovered).contains(.panic(entered: true)) == false)
    }

    @Test func flappingBackendIsNotEjectedWhileFailuresAreNotConsecutive() {
        let backends = EngineFixtures.addresses(3)
        var run = Run(PoolPolicy(pool: "web", backends: BackendSource(staticAddresses: backends), health: HealthPolicy(unhealthyAfter: 3)))
        for second in stride(from: Int64(0), through: 300, by: 15) {
            run.step(at: second, down: second % 30 == 0 ? [backends[0]] : [])
        }
        #expect(actions(run.decisions).isEmpty)
        #expect(run.routing(backends[0])?.state == .serving)
    }

    @Test func drainTakesABackendOutAndUndrainRampsItBack() {
        let backends = EngineFixtures.addresses(2)
        let policy = PoolPolicy(
            pool: "web",
            backends: BackendSource(staticAddresses: backends),
            weights: WeightsPolicy(strategy: .equal, slowStart: .seconds(60))
        )
        var run = Run(policy)
        run.step(at: 0)
        let drained = run.step(at: 15, commands: [.drain(address: backends[0])])
        #expect(drained.first?.action == .drain(address: backends[0]))
        #expect(drained.first?.origin == .operator)
        #expect(run.routing(backends[0]) == BackendRouting(address: backends[0], weight: 0, state: .drained))
        let last = run.step(at: 30, commands: [.drain(address: backends[1])])
        #expect(last.first?.action == .rejected(command: .drain(address: backends[1])))
        #expect(last.first?.reason.contains("must never be empty") == true)
        run.step(at: 45, commands: [.undrain(address: backends[0])])
        #expect(run.routing(backends[0]) == BackendRouting(address: backends[0], weight: 10, state: .slowStart))
        run.step(at: 105)
        #expect(run.routing(backends[0]) == BackendRouting(address: backends[0], weight: 100, state: .serving))
    }

    @Test func drainingEveryBackendAtOnceRejectsOnlyTheLastDrain() {
        let backends = EngineFixtures.addresses(3)
        var run = Run(PoolPolicy(pool: "web", backends: BackendSource(staticAddresses: backends)))
        run.step(at: 0)
        let drains = run.step(at: 15, commands: backends.map { .drain(address: $0) })
        #expect(actions(drains) == [.drain(address: backends[0]), .drain(address: backends[1]), .rejected(command: .drain(address: backends[2]))])
        #expect(
            drains.first { $0.action == .rejected(command: .drain(address: backends[2])) }?.reason
                == "drain refused: \(backends[2]) is the last undrained backend of the serving tier and the pool must never be empty"
        )
        #expect(run.last?.routing.map(\.state) == [.drained, .drained, .serving])
        let dead = run.step(at: 30, down: [backends[2]])
        #expect(actions(dead).contains(.panic(entered: true)) == false, "one failure is below unhealthy_after 3")
        run.step(at: 45, down: [backends[2]])
        run.step(at: 60, down: [backends[2]])
        #expect(run.last?.panic == true)
        #expect(run.routing(backends[2])?.weight == 1, "the last undrained backend keeps traffic even when it fails")
        #expect(run.routing(backends[0])?.state == .drained, "panic does not undo an operator's drain")
    }

    @Test func drainFollowsTheServingTierAfterAFailover() {
        var run = Run(Self.databasePair(failback: .manual))
        run.step(at: 0)
        let standbyDrain = run.step(at: 5, commands: [.drain(address: Self.replica), .undrain(address: Self.replica)])
        #expect(actions(standbyDrain) == [.drain(address: Self.replica), .undrain(address: Self.replica)], "a waiting standby may be drained")
        run.step(at: 15, down: [Self.primary])
        run.step(at: 30, down: [Self.primary])
        #expect(run.last?.servingTier == .standby)
        let refused = run.step(at: 45, commands: [.drain(address: Self.replica)])
        #expect(actions(refused) == [.rejected(command: .drain(address: Self.replica))])
        let old = run.step(at: 60, commands: [.drain(address: Self.primary)])
        #expect(actions(old).first == .drain(address: Self.primary), "the old primary no longer serves, so draining it empties nothing")
        #expect(run.routing(Self.replica)?.state == .serving)
    }

    @Test func webPoolFailsOverWhenTheHealthyShareTimesOverprovisioningFallsBelowOne() {
        let active = EngineFixtures.addresses(4)
        let standby = [EngineFixtures.address("127.0.0.1:9101")]
        let policy = PoolPolicy(
            pool: "web",
            backends: BackendSource(staticAddresses: active),
            health: HealthPolicy(unhealthyAfter: 1, maxEjected: Percent(100)),
            failover: FailoverPolicy(standby: standby)
        )
        var run = Run(policy)
        run.step(at: 0)
        run.step(at: 15, down: [active[0]])
        #expect(run.last?.servingTier == .active)
        let degraded = run.step(at: 30, down: [active[0], active[1]])
        #expect(actions(degraded).contains(.failover(promote: standby[0], serving: standby)))
    }
}
