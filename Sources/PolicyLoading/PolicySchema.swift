import Policy

/// The policy file's schema: every key the loader knows, with types, ranges and defaults.
///
/// Defaults are read from the model types' own defaults, so this table and the model cannot drift.
enum PolicySchema {
    /// The root mapping of a policy file.
    static let root = SchemaNode(
        .object([
            SchemaField(
                "pool",
                required: true,
                SchemaNode(.string(.identifier), "The pool's name, used in logs, the journal and proxy configurations.")
            ),
            SchemaField("backends", required: true, backends),
            SchemaField("scrape", scrape),
            SchemaField(
                "evaluation_interval",
                SchemaNode(.duration, "How often the engine evaluates the pool.", default: PoolPolicy.defaultEvaluationInterval.description)
            ),
            SchemaField(
                "signals",
                SchemaNode(
                    .map(key: .signalName, value: SchemaNode(.string(.promQL), "A PromQL expression evaluated per backend (by instance).")),
                    "Named PromQL expressions that rules refer to."
                )
            ),
            SchemaField("weights", weights),
            SchemaField("health", health),
            SchemaField("failover", failover),
            SchemaField("scaling", scaling),
            SchemaField("capacity", capacity),
            SchemaField("cost", cost),
            SchemaField("replay", replay),
            SchemaField("apply", apply),
        ]),
        "A Ballast pool policy."
    )

    private static let backends = SchemaNode(
        .object([
            SchemaField("static", SchemaNode(.list(SchemaNode(.address, "A backend as host:port."), minimumCount: 1), "Backends listed here.")),
            SchemaField("file_sd", SchemaNode(.string(.path), "A Prometheus file_sd JSON file of targets, reloaded on change.")),
        ]),
        "Where the pool's backends come from: a static list, a file_sd file, or both."
    )

    private static let scrape = SchemaNode(
        .object([
            SchemaField("interval", SchemaNode(.duration, "Time between scrapes.", default: ScrapeSettings().interval.description)),
            SchemaField("timeout", SchemaNode(.duration, "Scrape timeout, at most the interval.", default: ScrapeSettings().timeout.description)),
            SchemaField("path", SchemaNode(.string(.urlPath), "The metrics endpoint's HTTP path.", default: ScrapeSettings().path)),
            SchemaField("scheme", SchemaNode(.enumeration(["http", "https"]), "The metrics endpoint's scheme.", default: ScrapeSettings().scheme)),
            SchemaField(
                "port",
                SchemaNode(.integer(1...65_535), "The metrics port, when it differs from the backend's traffic port (an exporter beside it).")
            ),
            SchemaField(
                "params",
                SchemaNode(
                    .map(key: .text, value: SchemaNode(.list(SchemaNode(.string(.text), "A value."), minimumCount: 1), "The parameter's values.")),
                    "URL query parameters sent with each scrape, each name with a list of values."
                )
            ),
            SchemaField(
                "body_size_limit",
                SchemaNode(.string(.byteSize), "The largest body accepted after decompression; a larger one fails the scrape.", default: "16MiB")
            ),
            SchemaField(
                "tls",
                SchemaNode(
                    .object([
                        SchemaField("ca_file", SchemaNode(.string(.path), "CA certificates to verify the endpoint with.")),
                        SchemaField("cert_file", SchemaNode(.string(.path), "Client certificate.")),
                        SchemaField("key_file", SchemaNode(.string(.path), "Client certificate's key.")),
                        SchemaField("insecure_skip_verify", SchemaNode(.boolean, "Skip verifying the endpoint's certificate.", default: "false")),
                    ]),
                    "TLS for https endpoints; files only."
                )
            ),
            SchemaField(
                "basic_auth",
                SchemaNode(
                    .object([
                        SchemaField("username", required: true, SchemaNode(.string(.text), "The user name.")),
                        SchemaField(
                            "password_file",
                            required: true,
                            SchemaNode(.string(.path), "A file holding the password (read at each scrape, never logged).")
                        ),
                    ]),
                    "HTTP basic authentication."
                )
            ),
            SchemaField("bearer_token_file", SchemaNode(.string(.path), "A file holding a bearer token sent as Authorization: Bearer.")),
        ]),
        "How each backend's metrics are scraped."
    )

    private static let weights = SchemaNode(
        .object([
            SchemaField(
                "strategy",
                SchemaNode(
                    .enumeration(WeightStrategy.allCases.map(\.rawValue)),
                    "static: fixed weights; headroom: spare capacity below target; inverse: 1/signal; equal.",
                    default: WeightsPolicy().strategy.rawValue
                )
            ),
            SchemaField("signal", SchemaNode(.string(.signalName), "The signal the strategy reads (headroom, inverse).")),
            SchemaField(
                "target",
                SchemaNode(
                    .number(-Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude, exclusiveMinimum: false),
                    "The signal's target (headroom)."
                )
            ),
            SchemaField("min", SchemaNode(.integer(0...1_000_000), "The smallest integer weight.", default: "\(WeightsPolicy().min)")),
            SchemaField(
                "max",
                SchemaNode(.integer(1...1_000_000), "The largest integer weight (HAProxy allows 256).", default: "\(WeightsPolicy().max)")
            ),
            SchemaField(
                "smoothing",
                SchemaNode(
                    .number(0...1, exclusiveMinimum: true),
                    "EWMA factor of the newest weight; 1 disables smoothing.",
                    default: "\(WeightsPolicy().smoothing)"
                )
            ),
            SchemaField("max_step", SchemaNode(.percent(0...1000), "The largest change of a weight per evaluation.")),
            SchemaField(
                "min_change",
                SchemaNode(
                    .percent(0...100),
                    "The smallest weight move, relative to the routed weight, that is applied; state changes always apply.",
                    default: WeightsPolicy().minChange.description
                )
            ),
            SchemaField(
                "slow_start",
                SchemaNode(.duration, "Ramp time for new or recovered backends.", default: WeightsPolicy().slowStart.description)
            ),
            SchemaField(
                "stale_after",
                SchemaNode(.duration, "Signals older than this are ignored.", default: WeightsPolicy().staleAfter.description)
            ),
            SchemaField(
                "static",
                SchemaNode(
                    .map(key: .address, value: SchemaNode(.integer(0...1_000_000), "The backend's weight.")),
                    "Fixed weights per backend (static)."
                )
            ),
        ]),
        "How traffic is split between healthy backends."
    )

    private static let health = SchemaNode(
        .object([
            SchemaField(
                "unhealthy_after",
                SchemaNode(.integer(1...1000), "Consecutive failures before a backend is unhealthy.", default: "\(HealthPolicy().unhealthyAfter)")
            ),
            SchemaField(
                "healthy_after",
                SchemaNode(.integer(1...1000), "Consecutive successes before it is healthy again.", default: "\(HealthPolicy().healthyAfter)")
            ),
            SchemaField("eject_when", SchemaNode(.condition, "A signal condition that counts as a failure, e.g. \"error_ratio > 0.05\".")),
            SchemaField(
                "eject_for",
                SchemaNode(.duration, "The first ejection's length; later ones grow.", default: HealthPolicy().ejectFor.description)
            ),
            SchemaField("max_eject_for", SchemaNode(.duration, "The cap on one ejection's length.", default: HealthPolicy().maxEjectFor.description)),
            SchemaField(
                "max_ejected",
                SchemaNode(.percent(0...100), "The largest share of the pool ejected at once.", default: HealthPolicy().maxEjected.description)
            ),
            SchemaField(
                "panic_threshold",
                SchemaNode(
                    .percent(0...100),
                    "Below this healthy share every backend stays in rotation.",
                    default: HealthPolicy().panicThreshold.description
                )
            ),
        ]),
        "When backends are unhealthy and how ejection is bounded."
    )

    private static let failoverDefaults = FailoverPolicy(standby: [])

    private static let failover = SchemaNode(
        .object([
            SchemaField(
                "standby",
                required: true,
                SchemaNode(.list(SchemaNode(.address, "A standby backend as host:port."), minimumCount: 1), "Standby backends in promotion order.")
            ),
            SchemaField("promote", hook("The command that promotes a standby.")),
            SchemaField(
                "hold_down",
                SchemaNode(.duration, "After a failover, further ones are blocked this long.", default: failoverDefaults.holdDown.description)
            ),
            SchemaField(
                "overprovisioning_factor",
                SchemaNode(
                    .number(1...100, exclusiveMinimum: false),
                    "Envoy's factor on the active tier's healthy share.",
                    default: "\(failoverDefaults.overprovisioningFactor)"
                )
            ),
            SchemaField("activate_below", SchemaNode(.percent(0...100), "Activate the standby below this healthy share of the active tier.")),
            SchemaField(
                "failback",
                SchemaNode(
                    .enumeration(FailbackMode.allCases.map(\.rawValue)),
                    "Whether traffic returns by itself.",
                    default: failoverDefaults.failback.rawValue
                )
            ),
            SchemaField(
                "failback_delay",
                SchemaNode(.duration, "Sustained health needed before automatic failback.", default: failoverDefaults.failbackDelay.description)
            ),
            SchemaField(
                "eligibility",
                SchemaNode(
                    .object([
                        SchemaField(
                            "max_lag",
                            SchemaNode(
                                .object([
                                    SchemaField("signal", required: true, SchemaNode(.string(.signalName), "The signal holding each standby's lag.")),
                                    SchemaField(
                                        "max",
                                        required: true,
                                        SchemaNode(.durationOrNumber, "The largest acceptable lag (a duration reads as seconds).")
                                    ),
                                ]),
                                "Promote only a standby whose lag is at most max."
                            )
                        )
                    ]),
                    "Gates a standby must pass to be promoted."
                )
            ),
        ]),
        "Standby backends promoted when too few active ones are healthy."
    )

    private static let scalingTarget = SchemaNode(
        .object([
            SchemaField("signal", required: true, SchemaNode(.string(.signalName), "The signal tracked.")),
            SchemaField(
                "value",
                required: true,
                SchemaNode(.number(0...Double.greatestFiniteMagnitude, exclusiveMinimum: true), "The desired per-replica value.")
            ),
            SchemaField(
                "tolerance",
                SchemaNode(
                    .number(0...1, exclusiveMinimum: false),
                    "Relative band without change.",
                    default: "\(ScalingTarget(signal: "", value: 1).tolerance)"
                )
            ),
        ]),
        "Keep the signal's per-replica value near value."
    )

    private static func behavior(_ direction: String, _ defaults: ScalingBehavior) -> SchemaNode {
        SchemaNode(
            .object([
                SchemaField(
                    "stabilization",
                    SchemaNode(.duration, "Window over which recommendations are combined.", default: defaults.stabilization.description)
                ),
                SchemaField(
                    "policies",
                    SchemaNode(
                        .list(
                            SchemaNode(
                                .object([
                                    SchemaField("replicas", SchemaNode(.integer(1...1_000_000), "Replicas that may change per period.")),
                                    SchemaField(
                                        "percent",
                                        SchemaNode(.percentOrNumber(0...100_000), "Share of replicas that may change per period.")
                                    ),
                                    SchemaField("period", required: true, SchemaNode(.duration, "The window the change is counted over.")),
                                ]),
                                "A rate limit: replicas or percent per period."
                            ),
                            minimumCount: 1
                        ),
                        "Rate limits.",
                        default: "[" + defaults.policies.map(\.yaml).joined(separator: ", ") + "]"
                    )
                ),
                SchemaField(
                    "select",
                    SchemaNode(.enumeration(ScalingSelect.allCases.map(\.rawValue)), "Which rate limit wins.", default: defaults.select.rawValue)
                ),
            ]),
            "Stabilization and rate limits when scaling \(direction)."
        )
    }

    private static let scaling = SchemaNode(
        .object([
            SchemaField("min", SchemaNode(.integer(0...100_000), "The fewest replicas.", default: "\(ScalingPolicy(max: 1).min)")),
            SchemaField("max", required: true, SchemaNode(.integer(1...100_000), "The most replicas.")),
            SchemaField("target", scalingTarget),
            SchemaField("targets", SchemaNode(.list(scalingTarget, minimumCount: 1), "Several targets; the largest proposal wins.")),
            SchemaField("up", behavior("up", .hpaScaleUp)),
            SchemaField("down", behavior("down", .hpaScaleDown)),
            SchemaField(
                "cooldown",
                SchemaNode(.duration, "No scale event for this long after one.", default: ScalingPolicy(max: 1).cooldown.description)
            ),
            SchemaField(
                "steps",
                SchemaNode(
                    .object([
                        SchemaField("signal", required: true, SchemaNode(.string(.signalName), "The signal whose pool value picks a band.")),
                        SchemaField(
                            "thresholds",
                            required: true,
                            SchemaNode(
                                .list(
                                    SchemaNode(
                                        .object([
                                            SchemaField(
                                                "lower",
                                                SchemaNode(
                                                    .number(
                                                        -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude,
                                                        exclusiveMinimum: false
                                                    ),
                                                    "Inclusive lower bound."
                                                )
                                            ),
                                            SchemaField(
                                                "upper",
                                                SchemaNode(
                                                    .number(
                                                        -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude,
                                                        exclusiveMinimum: false
                                                    ),
                                                    "Exclusive upper bound."
                                                )
                                            ),
                                            SchemaField(
                                                "adjustment",
                                                SchemaNode(.integer(-100_000...100_000), "Replicas to add (negative removes).")
                                            ),
                                            SchemaField(
                                                "percent",
                                                SchemaNode(.percentOrNumber(-100...100_000), "Change by a share of the current replicas.")
                                            ),
                                            SchemaField("set", SchemaNode(.integer(0...100_000), "Set an exact replica count.")),
                                        ]),
                                        "A band lower <= value < upper with one of adjustment, percent or set."
                                    ),
                                    minimumCount: 1
                                ),
                                "The bands, first match wins."
                            )
                        ),
                    ]),
                    "Step scaling (AWS/Nomad style)."
                )
            ),
            SchemaField(
                "fallback",
                SchemaNode(
                    .object([
                        SchemaField("replicas", required: true, SchemaNode(.integer(0...100_000), "Replicas held while metrics fail.")),
                        SchemaField(
                            "after_failures",
                            SchemaNode(
                                .integer(1...1000),
                                "Consecutive failed evaluations first.",
                                default: "\(ScalingFallback(replicas: 0).afterFailures)"
                            )
                        ),
                    ]),
                    "KEDA-style fallback on persistent metric errors."
                )
            ),
            SchemaField("hook", hook("The command that changes the replica count.")),
        ]),
        "How many replicas the pool needs (the Kubernetes HPA pipeline)."
    )

    private static let capacity = SchemaNode(
        .object([
            SchemaField(
                "per_replica_rps",
                required: true,
                SchemaNode(.number(0...Double.greatestFiniteMagnitude, exclusiveMinimum: true), "Requests/s one replica serves.")
            ),
            SchemaField(
                "startup",
                SchemaNode(.duration, "Time until a new replica serves.", default: CapacityModel(perReplicaRPS: 1).startup.description)
            ),
        ]),
        "What one replica serves, for replay."
    )

    private static let cost = SchemaNode(
        .object([
            SchemaField(
                "per_replica_hour",
                required: true,
                SchemaNode(.number(0...Double.greatestFiniteMagnitude, exclusiveMinimum: false), "Price of one replica-hour.")
            )
        ]),
        "Replica prices, for replay."
    )

    private static let replay = SchemaNode(
        .object([
            SchemaField(
                "signals",
                SchemaNode(
                    .map(
                        key: .signalName,
                        value: SchemaNode(.enumeration(ReplayModelOutput.allCases.map(\.rawValue)), "The load-model output feeding the signal.")
                    ),
                    "Policy signals fed from replay's load model."
                )
            ),
            SchemaField("load", SchemaNode(.string(.promQL), "PromQL for the pool's offered load in requests/s (replay --db).")),
        ]),
        "How replay feeds this policy."
    )

    private static let nginxDefaults = NginxApply(file: "", upstream: "")

    /// Arguments as a YAML flow list, each single-quoted so no argument is read as another type.
    private static func flowList(_ arguments: [String]) -> String {
        "[" + arguments.map { "'" + $0.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'" }.joined(separator: ", ")
            + "]"
    }

    private static let apply = SchemaNode(
        .object([
            SchemaField(
                "nginx",
                SchemaNode(
                    .object([
                        SchemaField("file", required: true, SchemaNode(.string(.path), "The generated upstream file.")),
                        SchemaField("upstream", required: true, SchemaNode(.string(.identifier), "The upstream block's name.")),
                        SchemaField("test", SchemaNode(.argv, "The configuration test command.", default: flowList(nginxDefaults.test))),
                        SchemaField("reload", SchemaNode(.argv, "The reload command.", default: flowList(nginxDefaults.reload))),
                    ]),
                    "Write an nginx upstream file, test, reload."
                )
            ),
            SchemaField(
                "haproxy",
                SchemaNode(
                    .object([
                        SchemaField("socket", SchemaNode(.string(.path), "The Runtime API unix socket.")),
                        SchemaField("address", SchemaNode(.address, "The Runtime API TCP address.")),
                        SchemaField("backend", required: true, SchemaNode(.string(.identifier), "The HAProxy backend of the pool.")),
                    ]),
                    "Update a HAProxy backend through the Runtime API (socket or address)."
                )
            ),
            SchemaField("exec", hook("A command given each decision as JSON on stdin.")),
        ]),
        "Where decisions are applied; none means observe only."
    )

    private static func hook(_ summary: String) -> SchemaNode {
        SchemaNode(
            .object([
                SchemaField("exec", required: true, SchemaNode(.argv, "The program and its arguments (never run by a shell).")),
                SchemaField("timeout", SchemaNode(.duration, "How long it may run.", default: HookCommand(argv: []).timeout.description)),
            ]),
            summary
        )
    }
}

extension ScalingRateLimit {
    /// The rate limit as a policy writes it, for documenting defaults.
    fileprivate var yaml: String {
        switch change {
        case .replicas(let count): "{replicas: \(count), period: \(period)}"
        case .percent(let value): "{percent: \(Percent(value)), period: \(period)}"
        }
    }
}
