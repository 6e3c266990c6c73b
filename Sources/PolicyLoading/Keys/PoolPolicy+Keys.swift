import Policy

extension PoolPolicy {
    /// The root mapping of a policy file.
    static var keys: PolicySection<PoolPolicy> {
        PolicySection(
            "A Ballast pool policy.",
            template: PoolPolicy(pool: "", backends: BackendSource()),
            keys: [
                .value("pool", \.pool, .string(.identifier), "The pool's name, used in logs, the journal and proxy configurations.", required: true),
                .section("backends", \.backends, BackendSource.keys, required: true),
                .section("scrape", \.scrape, ScrapeSettings.keys, or: "none", off: { $0.enabled = false }, isOff: { !$0.enabled }),
                .section("signals_from", \.signalsFrom, SignalsFrom.keys),
                .value("evaluation_interval", \.evaluationInterval, .duration, "How often the engine evaluates the pool."),
                .value(
                    "balance",
                    \.balance,
                    BalanceAlgorithm.enumeration,
                    "How the proxy picks a backend: round_robin, least_conn, ip_hash, hash (with hash.key) or random_two."
                ),
                .section("hash", \.hash, HashBalance.keys),
                .entries(
                    "signals",
                    \.signals,
                    key: .signalName,
                    value: SchemaNode(.string(.promQL), "A PromQL expression evaluated per backend (by instance)."),
                    "Named PromQL expressions that rules refer to.",
                    make: { (name: String, expression: String) in SignalDefinition(name: name, expression: expression) },
                    split: { ($0.name, $0.expression) }
                ),
                .section("weights", \.weights, WeightsPolicy.keys),
                .section("health", \.health, HealthPolicy.keys),
                .section("failover", \.failover, FailoverPolicy.keys),
                .section("scaling", \.scaling, ScalingPolicy.keys),
                .section("capacity", \.capacity, CapacityModel.keys),
                .section("cost", \.cost, CostModel.keys),
                .section("slo", \.slo, SLOPolicy.keys),
                .section("replay", \.replay, ReplaySettings.keys),
                .section("apply", \.apply, ApplySettings.keys),
            ],
            finish: { root, policy, builder in
                builder.requireLongerThanZero("evaluation_interval", policy.evaluationInterval, in: root)
                if let weights = policy.weights { builder.checkWeightRange(weights, against: policy.apply, root: root) }
                builder.checkBalance(policy, root: root)
                if let limit = policy.scrape.bodySizeLimit, limit > ScrapeSettings.maximumBodySizeLimit {
                    builder.report(
                        "scrape.body_size_limit is at most 1GiB (the largest exposition Ballast scrapes)",
                        at: root.object("scrape")?.position(of: "body_size_limit") ?? root.position(of: "scrape")
                    )
                }
                if policy.failover != nil { checkStandbyOverlap(policy.backends, root: root, &builder) }
                if !policy.scrape.enabled && policy.signalsFrom == nil && !builder.sharedSignalsFrom {
                    builder.report(
                        "scrape: none needs signals_from, in this policy or in the daemon's configuration: without Ballast's scrapes, "
                            + "up and the signals come from a Prometheus-compatible server",
                        at: root.position(of: "scrape")
                    )
                }
                if policy.backends.fileSD == nil, let entries = root.object("weights")?.map("static") {
                    let known = Set(policy.backends.staticAddresses + (policy.failover?.standby ?? []))
                    for entry in entries {
                        if case .address(let address) = entry.key.value, !known.contains(address) {
                            builder.report("weights.static names \(address), which is not a backend of the pool", at: entry.key.position)
                        }
                    }
                }
            }
        )
    }

    private static func checkStandbyOverlap(_ backends: BackendSource, root: CheckedObject, _ builder: inout PolicyBuilder) {
        let active = Set(backends.staticAddresses)
        for item in root.object("failover")?.list("standby") ?? [] {
            if case .address(let address) = item.value, active.contains(address) {
                builder.report("standby \(address) is also an active backend in backends.static", at: item.position)
            }
        }
    }
}

extension PolicyBuilder {
    /// `hash` goes with `balance: hash` only, and nginx keeps no `backup` servers beside a hash or
    /// random choice, so a standby tier there is refused.
    mutating func checkBalance(_ policy: PoolPolicy, root: CheckedObject) {
        if policy.balance == .hash && !root.has("hash") {
            report("balance hash needs hash.key, e.g. hash: { key: $remote_addr }", at: root.position(of: "balance"))
        }
        if policy.balance != .hash && root.has("hash") {
            report("hash is set but balance is \(policy.balance.rawValue); set balance: hash or remove hash", at: root.position(of: "hash"))
        }
        if let haproxy = policy.apply.haproxy {
            if haproxy.fragment == nil && policy.balance != .roundRobin {
                report(
                    "balance \(policy.balance.rawValue) needs apply.haproxy.fragment: HAProxy's balance lives in its configuration; set "
                        + "fragment so Ballast writes the backend, or set balance in haproxy.cfg and remove it here",
                    at: root.position(of: "balance")
                )
            } else if policy.balance.haproxyDirectives(hash: policy.hash) == nil, policy.hash != nil {
                report(
                    "hash.key \(policy.hash!.key) has no HAProxy equivalent; use $remote_addr, $request_uri, $http_NAME or $arg_NAME",
                    at: root.object("hash")?.position(of: "key") ?? root.position(of: "hash")
                )
            }
        }
        if policy.apply.nginx != nil, policy.failover != nil, !policy.balance.allowsBackupServers {
            report(
                "balance \(policy.balance.rawValue) cannot be used with failover.standby under apply.nginx: nginx allows backup servers "
                    + "only with round_robin and least_conn",
                at: root.position(of: "balance")
            )
        }
    }
}

extension HashBalance {
    static var keys: PolicySection<HashBalance> {
        PolicySection(
            "The key of balance: hash.",
            template: HashBalance(key: ""),
            keys: [
                .value("key", \.key, .string(.hashKey), "An nginx variable expression such as $remote_addr or $cookie_session.", required: true),
                .value("consistent", \.consistent, .boolean, "Consistent (ketama) hashing: a backend change moves only its keys."),
            ]
        )
    }
}

extension BackendSource {
    static var keys: PolicySection<BackendSource> {
        PolicySection(
            "Where the pool's backends come from: a static list, a file_sd file, or both.",
            template: BackendSource(),
            keys: [
                .nonEmpty(
                    "static",
                    \.staticAddresses,
                    .list(SchemaNode(.address, "A backend as host:port."), minimumCount: 1),
                    "Backends listed here."
                ),
                .value("file_sd", \.fileSD, .string(.path), "A Prometheus file_sd JSON file of targets, reloaded on change."),
            ],
            finish: { object, source, builder in
                source.staticAddresses = builder.unique(object.list("static") ?? [], what: "backend", in: "backends.static")
                if !object.has("static") && !object.has("file_sd") {
                    builder.report("backends needs \"static\" addresses, a \"file_sd\" file, or both", at: object.position)
                }
            }
        )
    }
}

extension CapacityModel {
    static var keys: PolicySection<CapacityModel> {
        PolicySection(
            "What one replica serves, for replay.",
            template: CapacityModel(perReplicaRPS: 1),
            keys: [
                .value(
                    "per_replica_rps",
                    \.perReplicaRPS,
                    .number(0...Double.greatestFiniteMagnitude, exclusiveMinimum: true),
                    "Requests/s one replica serves.",
                    required: true
                ),
                .value("startup", \.startup, .duration, "Time until a new replica serves."),
            ]
        )
    }
}

extension CostModel {
    static var keys: PolicySection<CostModel> {
        PolicySection(
            "Replica prices, for replay.",
            template: CostModel(perReplicaHour: 0),
            keys: [
                .value(
                    "per_replica_hour",
                    \.perReplicaHour,
                    .number(0...Double.greatestFiniteMagnitude, exclusiveMinimum: false),
                    "Price of one replica-hour.",
                    required: true
                ),
                .value(
                    "per_scale_event",
                    \.perScaleEvent,
                    .number(0...Double.greatestFiniteMagnitude, exclusiveMinimum: false),
                    "Price of each scale event."
                ),
            ]
        )
    }
}

extension SLOPolicy {
    static var keys: PolicySection<SLOPolicy> {
        PolicySection(
            "The service level replay judges the policy against.",
            template: SLOPolicy(),
            keys: [
                .value(
                    "max_utilization",
                    \.maxUtilization,
                    .number(0...1000, exclusiveMinimum: true),
                    "Highest acceptable load over ready capacity; a step above it violates the SLO."
                ),
                .value("latency_p99", \.latencyP99, .duration, "Highest acceptable modelled p99 latency; a step above it violates the SLO."),
            ]
        )
    }
}

extension ReplaySettings {
    static var keys: PolicySection<ReplaySettings> {
        PolicySection(
            "How replay feeds this policy.",
            template: ReplaySettings(),
            keys: [
                .entries(
                    "signals",
                    \.signals,
                    key: .signalName,
                    value: SchemaNode(ReplayModelOutput.enumeration, "The load-model output feeding the signal."),
                    "Policy signals fed from replay's load model.",
                    make: { (name: String, output: ReplayModelOutput) in ReplaySignal(signal: name, output: output) },
                    split: { ($0.signal, $0.output) }
                ),
                .value("load", \.load, .string(.promQL), "PromQL for the pool's offered load in requests/s (replay --db)."),
            ],
            finish: { object, _, builder in
                for entry in object.map("signals") ?? [] {
                    if case .text(let name) = entry.key.value { builder.requireSignal(name, at: entry.key.position, usedBy: "replay.signals") }
                }
            }
        )
    }
}
