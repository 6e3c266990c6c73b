import Policy

extension FailoverPolicy {
    static var keys: PolicySection<FailoverPolicy> {
        PolicySection(
            "Standby backends promoted when too few active ones are healthy.",
            template: FailoverPolicy(standby: []),
            keys: [
                .value(
                    "standby",
                    \.standby,
                    .list(SchemaNode(.address, "A standby backend as host:port."), minimumCount: 1),
                    "Standby backends in promotion order.",
                    required: true
                ),
                .section("promote", \.promote, HookCommand.keys("The command that promotes a standby.")),
                .value("hold_down", \.holdDown, .duration, "After a failover, further ones are blocked this long."),
                .value(
                    "overprovisioning_factor",
                    \.overprovisioningFactor,
                    .number(1...100, exclusiveMinimum: false),
                    "Envoy's factor on the active tier's healthy share."
                ),
                .value("activate_below", \.activateBelow, .percent(0...100), "Activate the standby below this healthy share of the active tier."),
                .value("failback", \.failback, FailbackMode.enumeration, "Whether traffic returns by itself."),
                .value("failback_delay", \.failbackDelay, .duration, "Sustained health needed before automatic failback."),
                .section("eligibility", \.eligibility, StandbyEligibility.keys),
            ],
            finish: { object, failover, builder in
                failover.standby = builder.unique(object.list("standby") ?? [], what: "standby", in: "failover.standby")
            }
        )
    }
}

extension StandbyEligibility {
    static var keys: PolicySection<StandbyEligibility> {
        PolicySection(
            "Gates a standby must pass to be promoted.",
            template: StandbyEligibility(),
            keys: [.section("max_lag", \.maxLag, LagBound.keys)]
        )
    }
}

extension LagBound {
    static var keys: PolicySection<LagBound> {
        PolicySection(
            "Promote only a standby whose lag is at most max.",
            template: LagBound(signal: "", max: 0),
            keys: [
                .value("signal", \.signal, .string(.signalName), "The signal holding each standby's lag.", required: true),
                .value("max", \.max, .durationOrNumber, "The largest acceptable lag (a duration reads as seconds).", required: true),
            ],
            finish: { object, _, builder in
                if let signal = object.text("signal") {
                    builder.requireSignal(signal, at: object.position(of: "signal"), usedBy: "failover.eligibility.max_lag.signal")
                }
            }
        )
    }
}

extension HookCommand {
    /// A command's keys; `summary` says what the command is for where it is used.
    static func keys(_ summary: String) -> PolicySection<HookCommand> {
        PolicySection(
            summary,
            template: HookCommand(argv: []),
            keys: [
                .value("exec", \.argv, .argv, "The program and its arguments (never run by a shell).", required: true),
                .value("timeout", \.timeout, .duration, "How long it may run."),
            ],
            finish: { object, hook, builder in builder.requireLongerThanZero("timeout", hook.timeout, in: object) }
        )
    }
}
