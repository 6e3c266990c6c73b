package import Policy

/// One replay: the pool's policy driven through ``PolicyEngine`` every `evaluation_interval` of
/// simulated time over a load trace, with the load model standing in for the backends.
///
/// The model (README, "Replay"): the pool starts at `scaling.min` ready replicas (the static
/// backends without scaling); a replica added by a scale decision serves `capacity.startup`
/// later, and one removed stops at once (the newest, not-yet-ready ones first); a replica failed
/// by `--fail` stops serving and is replaced after `capacity.startup`, as a deployment
/// controller would. At each step the model's outputs are the engine's signals
/// (`replay.signals`), as each ready replica would report them: `utilization` and
/// `rps_per_replica` over the ready replicas, `load_rps`, and `latency_p99_seconds` from
/// ``QueueModel``; starting replicas are not members yet, so the engine counts them as the HPA
/// counts not-yet-ready pods (no usage during a scale-up). The SLO is judged on
/// the ready replicas: utilisation above `slo.max_utilization` or p99 above `slo.latency_p99`
/// makes the step a violation. Replica-hours count provisioned replicas, starting ones included
/// (they are paid for while they boot).
package struct ReplayRun: Sendable {
    package var policy: PoolPolicy
    package var trace: LoadTrace
    package var interpolation: LoadTrace.Interpolation
    /// Replicas failed at given times (unix seconds).
    package var failures: [ReplicaFailure]

    package init(policy: PoolPolicy, trace: LoadTrace, interpolation: LoadTrace.Interpolation = .step, failures: [ReplicaFailure] = []) {
        self.policy = policy
        self.trace = trace
        self.interpolation = interpolation
        self.failures = failures.sorted { $0.time < $1.time }
    }

    /// Runs the replay; `observe` sees every step (the timeline, a progress bar).
    package func run(observe: ((ReplayStep) -> Void)? = nil) throws(ReplayError) -> ReplaySummary {
        guard let capacity = policy.capacity else { throw ReplayError.missingCapacity(pool: policy.pool) }
        let model = QueueModel(perReplicaRPS: capacity.perReplicaRPS)
        let stepMilliseconds = policy.evaluationInterval.milliseconds
        let stepSeconds = Double(stepMilliseconds) / 1000
        let startupMilliseconds = capacity.startup.milliseconds
        let price = policy.cost?.perReplicaHour ?? 0
        let signalOutputs = (policy.replay?.signals ?? []).map { ($0.signal, $0.output) }
        var addresses = Self.addresses(count: max(policy.scaling?.max ?? 0, policy.backends.staticAddresses.count, 1))

        // One outcome kept across steps: the engine updates its state in place.
        var outcome = EngineOutcome(state: EngineState())
        let initial = policy.scaling?.min ?? max(1, policy.backends.staticAddresses.count)
        // Each replica: its address index and when it serves (ms); failed ones wait for a replacement.
        var replicas: [(slot: Int, readyAt: Int64)] = (0..<max(initial, 1)).map { ($0, Int64.min) }
        // A replica's slot is its address: the lowest one free, so a replaced or re-added
        // replica reuses the address of one that left, and no two replicas share one.
        func freeSlot() -> Int {
            var slot = 0
            while replicas.contains(where: { $0.slot == slot }) { slot += 1 }
            if slot >= addresses.count { addresses = Self.addresses(count: slot + 1) }
            return slot
        }
        var desired = replicas.count
        var failureIndex = 0
        var cursor = 0
        var summary = ReplaySummary()
        let start = Int64((trace.times[0] * 1000).rounded(.up))
        let end = Int64((trace.times[trace.times.count - 1] * 1000).rounded(.down))
        // The p99 costs a root search: only when something reads it, and once per distinct input.
        let needsP99 = observe != nil || policy.slo.latencyP99 != nil || signalOutputs.contains { $0.1 == .latencyP99Seconds }
        var lastP99: (servers: Int, load: Double, p99: Double)?
        var memberSlots: [Int] = [-1]
        // The signals' values, keyed once; each step writes them in place by position, in the
        // pool's values and in those every member reports (one dictionary each, so no write
        // copies the other).
        let outputOf = Dictionary(signalOutputs, uniquingKeysWith: { _, last in last })
        let zero = outputOf.mapValues { _ in SignalSample(value: 0, timestamp: PolicyInstant(milliseconds: start)) }
        let valueSlots = zero.indices.compactMap { index in outputOf[zero.keys[index]].map { (index, $0) } }
        var signals = PoolSignals(members: [], everyMember: BackendSignals(up: true, values: zero, upStreak: 1_000), pool: zero, replicas: desired)
        var now = start
        while now <= end {
            let seconds = Double(now) / 1000
            while failureIndex < failures.count, failures[failureIndex].time <= seconds {
                // Failed replicas stop serving and come back (replaced) after the startup time.
                var left = failures[failureIndex].replicas
                for index in replicas.indices.reversed() where left > 0 && replicas[index].readyAt <= now {
                    // The replacement is a new replica at the same address, serving after startup.
                    replicas[index].readyAt = now + startupMilliseconds
                    left -= 1
                }
                failureIndex += 1
            }
            let load = trace.load(at: seconds, interpolation: interpolation, cursor: &cursor)
            let ready = replicas.reduce(0) { $0 + ($1.readyAt <= now ? 1 : 0) }
            let provisioned = replicas.count
            let readyUtilization = ready > 0 ? load / (Double(ready) * capacity.perReplicaRPS) : (load > 0 ? .infinity : 0)
            var p99 = Double.nan
            if needsP99 {
                if let cached = lastP99, cached.servers == ready, cached.load == load {
                    p99 = cached.p99
                } else {
                    p99 = model.p99(servers: ready, load: load)
                    lastP99 = (ready, load, p99)
                }
            }
            // What each ready replica would report; the engine counts the starting ones as the
            // HPA counts not-yet-ready pods (no usage during a scale-up).
            let instant = PolicyInstant(milliseconds: now)
            for (index, output) in valueSlots {
                let value: Double
                switch output {
                case .utilization: value = readyUtilization.isFinite ? readyUtilization : 1e9
                case .loadRPS: value = load
                case .rpsPerReplica: value = ready > 0 ? load / Double(ready) : 1e9
                case .latencyP99Seconds: value = p99.isFinite ? p99 : 1e9
                }
                let sample = SignalSample(value: value, timestamp: instant)
                signals.pool.values[index] = sample
                signals.everyMember?.values.values[index] = sample
            }
            // Members change only when the ready set does (set by position: no address is hashed).
            if !Self.slots(of: replicas, readyAt: now, equal: memberSlots) {
                memberSlots = replicas.compactMap { $0.readyAt <= now ? $0.slot : nil }
                signals.members = memberSlots.map { addresses[$0] }
            }
            signals.replicas = desired
            PolicyEngine.evaluate(policy: policy, signals: signals, into: &outcome, now: instant, reasons: .decisions)
            var decision = ""
            for made in outcome.decisions {
                switch made.action {
                case .scale(let from, let to):
                    summary.scaleEvents += 1
                    decision = "scale \(from)->\(to)"
                    if to > replicas.count {
                        for _ in replicas.count..<to {
                            replicas.append((freeSlot(), now + startupMilliseconds))
                        }
                    } else if to < replicas.count {
                        // Scale-in stops the newest replicas first (those still starting go first).
                        replicas.sort { $0.readyAt < $1.readyAt }
                        replicas.removeLast(replicas.count - to)
                    }
                    desired = to
                case .failover:
                    summary.failovers += 1
                    if decision.isEmpty { decision = "failover" }
                default:
                    break
                }
            }
            let violates = readyUtilization > policy.slo.maxUtilization || (policy.slo.latencyP99.map { p99 > $0.seconds } ?? false)
            summary.steps += 1
            summary.replicaHours += Double(provisioned) * stepSeconds / 3600
            summary.peakReplicas = max(summary.peakReplicas, provisioned)
            if violates { summary.sloViolationMinutes += stepSeconds / 60 }
            observe?(
                ReplayStep(
                    time: now,
                    load: load,
                    readyReplicas: ready,
                    desiredReplicas: desired,
                    signals: signals.pool.mapValues(\.value),
                    utilization: readyUtilization,
                    p99Seconds: p99,
                    violation: violates,
                    decision: decision
                )
            )
            now += stepMilliseconds
        }
        summary.cost = summary.replicaHours * price + Double(summary.scaleEvents) * (policy.cost?.perScaleEvent ?? 0)
        return summary
    }

    /// Whether the replicas ready at `now` are those of `slots`, in order.
    private static func slots(of replicas: [(slot: Int, readyAt: Int64)], readyAt now: Int64, equal slots: [Int]) -> Bool {
        var position = 0
        for replica in replicas where replica.readyAt <= now {
            guard position < slots.count, slots[position] == replica.slot else { return false }
            position += 1
        }
        return position == slots.count
    }

    /// Synthetic backend addresses for the replicas (`10.0.x.y:80`), made once.
    private static func addresses(count: Int) -> [BackendAddress] {
        (0..<max(count, 1)).map { index in
            // Cannot trap: each octet is masked to 0...255 and the port is the literal 80, so the
            // text is always a dotted quad the parser accepts.
            try! BackendAddress(parsing: "10.\((index >> 16) & 255).\((index >> 8) & 255).\(index & 255):80")
        }
    }
}

/// `--fail REPLICAS@T`: that many ready replicas fail at unix time T.
package struct ReplicaFailure: Sendable, Hashable {
    package var replicas: Int
    package var time: Double

    package init(replicas: Int, time: Double) {
        self.replicas = replicas
        self.time = time
    }
}

/// One simulated step, for the timeline.
package struct ReplayStep: Sendable {
    package var time: Int64
    package var load: Double
    package var readyReplicas: Int
    package var desiredReplicas: Int
    package var signals: [String: Double]
    package var utilization: Double
    package var p99Seconds: Double
    package var violation: Bool
    package var decision: String
}

/// What a replay adds up to (`--json` prints these with the policy's parameters).
package struct ReplaySummary: Sendable, Hashable {
    package var replicaHours = 0.0
    package var cost = 0.0
    package var sloViolationMinutes = 0.0
    package var scaleEvents = 0
    package var failovers = 0
    package var peakReplicas = 0
    package var steps = 0

    package init() {}
}

/// Why a replay cannot run.
package enum ReplayError: Error, Sendable, CustomStringConvertible {
    case missingCapacity(pool: String)

    package var description: String {
        switch self {
        case .missingCapacity(let pool):
            "pool \(pool) has no capacity section; replay needs capacity.per_replica_rps (and capacity.startup) to model the load"
        }
    }
}
