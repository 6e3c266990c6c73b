import Policy

extension ApplySettings {
    static var keys: PolicySection<ApplySettings> {
        PolicySection(
            "Where decisions are applied; none means observe only.",
            template: ApplySettings(),
            keys: [
                .section("nginx", \.nginx, NginxApply.keys),
                .section("haproxy", \.haproxy, HAProxyApply.keys),
                .section("exec", \.exec, HookCommand.keys("A command given each decision as JSON on stdin.")),
            ]
        )
    }
}

extension NginxApply {
    static var keys: PolicySection<NginxApply> {
        PolicySection(
            "Write an nginx upstream file, test, reload.",
            template: NginxApply(file: "", upstream: ""),
            keys: [
                .value("file", \.file, .string(.path), "The generated upstream file.", required: true),
                .value("upstream", \.upstream, .string(.identifier), "The upstream block's name.", required: true),
                .value("test", \.test, .argv, "The configuration test command."),
                .value("reload", \.reload, .argv, "The reload command."),
                .value("max_fails", \.maxFails, .integer(0...1000), "nginx's max_fails on every server (0 disables nginx's passive check)."),
                .value("fail_timeout", \.failTimeout, .duration, "nginx's fail_timeout on every server."),
                .value(
                    "min_reload_interval",
                    \.minReloadInterval,
                    .duration,
                    "The shortest time between reloads; weight changes coalesce, a backend leaving rotation reloads at once."
                ),
                .value("command_timeout", \.commandTimeout, .duration, "How long the test and reload commands may each run."),
                .value(
                    "template",
                    \.template,
                    .string(.path),
                    "A file rendered into the upstream file: {{upstream}}, {{pool}}, {{balance}} and {{servers}} are filled in."
                ),
            ],
            finish: { object, nginx, builder in builder.requireLongerThanZero("command_timeout", nginx.commandTimeout, in: object) }
        )
    }
}

extension HAProxyApply {
    static var keys: PolicySection<HAProxyApply> {
        PolicySection(
            "Update a HAProxy backend through the Runtime API (socket or address).",
            template: HAProxyApply(endpoint: .socket(""), backend: ""),
            keys: [
                .choice(
                    "socket",
                    \.endpoint,
                    .string(.path),
                    "The Runtime API unix socket.",
                    embed: { (path: String) in .socket(path) },
                    extract: { if case .socket(let path) = $0 { path } else { nil } }
                ),
                .choice(
                    "address",
                    \.endpoint,
                    .address,
                    "The Runtime API TCP address.",
                    embed: { (address: BackendAddress) in .address(address) },
                    extract: { if case .address(let address) = $0 { address } else { nil } }
                ),
                .value("backend", \.backend, .string(.identifier), "The HAProxy backend of the pool.", required: true),
                .value("timeout", \.timeout, .duration, "How long one Runtime API command may take."),
                .value(
                    "fragment",
                    \.fragment,
                    .string(.path),
                    "A file where Ballast writes the whole backend section (balance, servers), so an HAProxy restart keeps scaling."
                ),
                .value(
                    "check",
                    \.check,
                    .argv,
                    "Validates the configuration with the fragment (default: haproxy -c -f /etc/haproxy/haproxy.cfg -f FRAGMENT)."
                ),
                .value("drain_timeout", \.drainTimeout, .duration, "How long a server leaving the pool drains before maintenance and removal."),
            ],
            finish: { object, haproxy, builder in
                _ = builder.requireOne(of: ["socket", "address"], in: object, what: "apply.haproxy")
                builder.requireLongerThanZero("timeout", haproxy.timeout, in: object)
            }
        )
    }
}
