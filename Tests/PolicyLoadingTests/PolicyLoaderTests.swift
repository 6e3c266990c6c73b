import Policy
import TestSupport
import Testing

@testable import PolicyLoading

@Suite struct PolicyLoaderTests {
    private func diagnostics(_ yaml: String, loader: PolicyLoader = PolicyLoader()) -> [String] {
        loader.diagnostics(yaml)
    }

    private func load(_ name: String) throws -> PoolPolicy {
        try PolicyLoader().load(yaml: try ExamplePolicies.text(name), path: name)
    }

    @Test(arguments: ExamplePolicies.names)
    func examplePolicyLoadsCleanly(name: String) throws {
        #expect(diagnostics(try ExamplePolicies.text(name)) == [])
    }

    @Test func diagnosticsQuoteABoundedPrefixOfAnAliasedHugeValue() {
        let huge = String(repeating: "x", count: 100_000)
        let uses = (0..<200).map { "  bad\($0): *big" }.joined(separator: "\n")
        let found = diagnostics("pool: web\nbackends: {static: [\"127.0.0.1:1\"]}\nx: &big \"\(huge)\"\nscrape:\n\(uses)\n")
        #expect(found.count == 201)
        #expect(found.allSatisfy { $0.utf8.count < 400 })
        #expect(found.contains { $0.contains("(100000 characters)") } || found.allSatisfy { !$0.contains(huge) })
    }

    @Test func webExampleReadsEverySection() throws {
        let policy = try load("web-nginx.yaml")
        #expect(policy.pool == "web")
        #expect(policy.backends.staticAddresses.map(\.description) == ["127.0.0.1:9001", "127.0.0.1:9002", "127.0.0.1:9003"])
        #expect(policy.backends.fileSD == "targets/web.json")
        #expect(policy.scrape == ScrapeSettings(interval: .seconds(5), timeout: .seconds(2), path: "/metrics"))
        #expect(policy.signals.map(\.name) == ["cpu", "inflight", "error_ratio"])
        #expect(policy.weights?.strategy == .headroom)
        #expect(policy.weights?.target == 0.7)
        #expect(policy.weights?.maxStep == Percent(25))
        #expect(policy.weights?.slowStart == .seconds(60))
        #expect(policy.health.ejectWhen == SignalCondition(signal: "error_ratio", comparison: .greaterThan, threshold: 0.05))
        #expect(policy.health.maxEjected == Percent(34))
        #expect(policy.scaling?.targets == [ScalingTarget(signal: "cpu", value: 0.6, tolerance: 0.1)])
        #expect(policy.scaling?.up == .hpaScaleUp)
        #expect(policy.scaling?.down.policies == [ScalingRateLimit(change: .replicas(1), period: .seconds(60))])
        #expect(policy.scaling?.hook == HookCommand(argv: ["./hooks/scale.sh", "web"], timeout: .seconds(60)))
        #expect(policy.capacity == CapacityModel(perReplicaRPS: 200, startup: .seconds(90)))
        #expect(policy.replay?.signals == [ReplaySignal(signal: "cpu", output: .utilization)])
        #expect(policy.apply.nginx == NginxApply(file: "/etc/nginx/conf.d/web.upstream.conf", upstream: "web"))
    }

    @Test func haproxyExampleUsesTheRuntimeAPIAndOutlierEjection() throws {
        let policy = try load("api-haproxy.yaml")
        #expect(policy.apply.haproxy == HAProxyApply(endpoint: .socket("/run/haproxy/admin.sock"), backend: "api"))
        #expect(policy.weights?.strategy == .inverse)
        #expect(policy.weights?.max == 256)
        #expect(policy.backends.staticAddresses.last?.host == .ipv6("2001:db8::20"))
        #expect(policy.health.maxEjectFor == .minutes(5))
        #expect(policy.scaling == nil)
    }

    @Test func databaseExamplePromotesOnlyACaughtUpStandby() throws {
        let failover = try #require(try load("db-active-passive.yaml").failover)
        #expect(failover.standby.map(\.description) == ["10.0.2.11:5432"])
        #expect(failover.promote?.argv == ["/usr/local/bin/pg-promote", "--host", "10.0.2.11"])
        #expect(failover.holdDown == .minutes(60))
        #expect(failover.failback == .manual)
        #expect(failover.activateBelow == Percent(100))
        #expect(failover.eligibility.maxLag == LagBound(signal: "repl_lag", max: 10))
    }

    @Test func hpaExampleSpellsOutExactlyTheDefaults() throws {
        let scaling = try #require(try load("hpa-equivalent.yaml").scaling)
        #expect(scaling.up == .hpaScaleUp)
        #expect(scaling.down == .hpaScaleDown)
        #expect(scaling.targets.first?.tolerance == ScalingTarget(signal: "util", value: 1).tolerance)
        let minimal = """
            pool: worker
            backends: { file_sd: targets/worker.json }
            signals:
              util: avg_over_time(backend_utilization[1m])
            scaling: { max: 10, target: { signal: util, value: 0.5 } }
            """
        #expect(try PolicyLoader().load(yaml: minimal, path: "m.yaml").scaling == scaling)
    }

    @Test func everyProblemIsReportedWithItsPosition() {
        let yaml = """
            pool: web
            backends:
              static: ["127.0.0.1:9001", "10.0.0.1;rm -rf /:80", "01.2.3.4:80", "host:0"]
            scrape: { intervall: 5s, timeout: 5 parsecs }
            signals:
              cpu: avg(x)
            weights:
              strategy: headroom
              signal: cpux
              target: 0.7
              min: 50
              max: 10
            health:
              eject_when: "error_ratio > 0.05"
              max_ejected: 150%
            scaling:
              max: 5
              target: { signal: mem, value: 0.6 }
              up: { policies: [{ percent: 100, period: 15 }] }
            apply:
              nginx: { file: /tmp/x.conf, upstream: "web; evil", reload: "nginx -s reload" }
            """
        #expect(
            diagnostics(yaml) == [
                #"p.yaml:3:30: backends.static[1]: invalid address "10.0.0.1;rm -rf /:80": character ';' is not allowed in an address; write host:port with an IPv4 address, a bracketed IPv6 address or a DNS name"#,
                #"p.yaml:3:54: backends.static[2]: invalid address "01.2.3.4:80": invalid IPv4 address "01.2.3.4"; write four decimal octets 0-255 without leading zeros"#,
                #"p.yaml:3:69: backends.static[3]: invalid address "host:0": invalid port "0"; a port is a decimal number from 1 to 65535 without leading zeros"#,
                #"p.yaml:4:11: unknown key "intervall" in scrape; did you mean "interval"?"#,
                #"p.yaml:4:35: scrape.timeout: invalid duration "5 parsecs"; write whole numbers with units ms, s, m, h, d, w or y, largest first (e.g. 500ms, 15s, 1m30s)"#,
                #"p.yaml:9:11: weights.signal refers to signal "cpux", which is not defined under signals; did you mean "cpu"?"#,
                #"p.yaml:12:8: weights.max (10) must not be less than weights.min (50)"#,
                #"p.yaml:14:15: health.eject_when refers to signal "error_ratio", which is not defined under signals; defined signals: cpu"#,
                #"p.yaml:15:16: health.max_ejected must be between 0% and 100%, not 150%"#,
                #"p.yaml:18:21: scaling.target.signal refers to signal "mem", which is not defined under signals; defined signals: cpu"#,
                #"p.yaml:19:44: scaling.up.policies[0].period needs a unit: write e.g. 15s or 15ms, not a bare number"#,
                #"p.yaml:21:41: apply.nginx.upstream: "web; evil" is not a valid name; use letters, digits, '_', '.' and '-' (at most 128), starting with a letter, digit or '_'"#,
                #"p.yaml:21:62: apply.nginx.reload must be a list of arguments such as [./hooks/run.sh, --flag]; commands are never run by a shell"#,
            ]
        )
    }

    @Test func missingRequiredKeysPointAtTheirMapping() {
        let yaml = """
            scrape:
              interval: 5s
            weights: { strategy: inverse, max: 300 }
            failover:
              promote: { exec: [] }
              eligibility: { max_lag: { signal: lag, max: ten } }
            apply:
              haproxy: { socket: /run/h.sock, address: "127.0.0.1:9999", backend: api }
            """
        #expect(
            diagnostics(yaml) == [
                #"p.yaml:1:1: the policy is missing required key "pool""#,
                #"p.yaml:1:1: the policy is missing required key "backends""#,
                #"p.yaml:3:22: weights.strategy inverse needs weights.signal"#,
                #"p.yaml:3:36: weights.max must be at most 256 with apply.haproxy (HAProxy's weight range is 0-256)"#,
                #"p.yaml:5:3: failover is missing required key "standby""#,
                #"p.yaml:5:20: failover.promote.exec must name a program as its first argument"#,
                #"p.yaml:6:37: failover.eligibility.max_lag.signal refers to signal "lag", which is not defined under signals; define it under signals with a PromQL expression"#,
                #"p.yaml:6:47: failover.eligibility.max_lag.max must be a non-negative number or a duration such as 10s, not "ten""#,
                #"p.yaml:8:44: apply.haproxy takes only one of "socket", "address""#,
            ]
        )
    }

    @Test func balanceIsCheckedAgainstHashAndTheProxy() throws {
        let nginx = "apply: { nginx: { file: web.conf, upstream: web } }"
        #expect(
            diagnostics("pool: web\nbackends: {static: [\"127.0.0.1:1\"]}\nbalance: hash\n") == [
                "p.yaml:3:10: balance hash needs hash.key, e.g. hash: { key: $remote_addr }"
            ]
        )
        #expect(
            diagnostics("pool: web\nbackends: {static: [\"127.0.0.1:1\"]}\nhash: { key: $remote_addr }\n") == [
                "p.yaml:3:7: hash is set but balance is round_robin; set balance: hash or remove hash"
            ]
        )
        #expect(
            diagnostics(
                "pool: web\nbackends: {static: [\"127.0.0.1:1\"]}\nbalance: ip_hash\nfailover: { standby: [\"127.0.0.1:2\"] }\n\(nginx)\n"
            ) == [
                "p.yaml:3:10: balance ip_hash cannot be used with failover.standby under apply.nginx: nginx allows backup servers only with round_robin and least_conn"
            ]
        )
        #expect(
            diagnostics("pool: web\nbackends: {static: [\"127.0.0.1:1\"]}\nbalance: hash\nhash: { key: \"$remote_addr; include /etc/passwd\" }\n")
                == [
                    #"p.yaml:4:14: hash.key: "$remote_addr; include /etc/passwd" is not a hash key; use nginx variables such as $remote_addr or $cookie_session (letters, digits and $ _ - : . /)"#
                ]
        )
        let haproxy = "apply: { haproxy: { socket: /run/haproxy.sock, backend: web } }"
        #expect(
            diagnostics("pool: web\nbackends: {static: [\"127.0.0.1:1\"]}\nbalance: least_conn\n\(haproxy)\n") == [
                "p.yaml:3:10: balance least_conn needs apply.haproxy.fragment: HAProxy's balance lives in its configuration; set fragment so "
                    + "Ballast writes the backend, or set balance in haproxy.cfg and remove it here"
            ]
        )
        let haproxyFragment = "apply: { haproxy: { socket: /run/haproxy.sock, backend: web, fragment: web.cfg } }"
        #expect(
            diagnostics("pool: web\nbackends: {static: [\"127.0.0.1:1\"]}\nbalance: hash\nhash: { key: $cookie_session }\n\(haproxyFragment)\n") == [
                "p.yaml:4:14: hash.key $cookie_session has no HAProxy equivalent; use $remote_addr, $request_uri, $http_NAME or $arg_NAME"
            ]
        )
        let policy = try PolicyLoader().load(
            yaml: "pool: web\nbackends: {static: [\"127.0.0.1:1\"]}\nbalance: hash\nhash: { key: $cookie_session, consistent: true }\n\(nginx)\n",
            path: "p.yaml"
        )
        #expect(policy.balance == .hash)
        #expect(policy.hash == HashBalance(key: "$cookie_session", consistent: true))
    }

    @Test func timeoutsOfZeroAndBareDollarHashKeysAreRefused() {
        let yaml = """
            pool: web
            backends: {static: ["127.0.0.1:1"]}
            balance: hash
            hash: {key: "$"}
            apply:
              nginx: {file: web.conf, upstream: web, command_timeout: 0s}
              exec: {exec: [./apply.sh], timeout: 0s}

            """
        #expect(
            diagnostics(yaml) == [
                #"p.yaml:4:13: hash.key: "$" is not a hash key; use nginx variables such as $remote_addr or $cookie_session (letters, digits and $ _ - : . /)"#,
                "p.yaml:6:59: apply.nginx.command_timeout must be longer than 0s",
                "p.yaml:7:39: apply.exec.timeout must be longer than 0s",
            ]
        )
    }

    @Test func crossKeyRulesAreChecked() {
        let yaml = """
            pool: db
            backends:
              static: ["[::1]:5432", "[fe80::1%eth0]:5432", "::1:80", "[::1]:5432"]
            evaluation_interval: 0s
            weights:
              strategy: static
              static: { "127.0.0.1:1": 5, "bad address": 2 }
            scaling:
              min: 3
              max: 2
              targets:
                - { signal: x, value: 0 }
              steps:
                signal: x
                thresholds:
                  - { lower: 5, upper: 1, adjustment: 1, set: 2 }
                  - { adjustment: 1 }
            failover: { standby: ["[::1]:5432"] }
            """
        #expect(
            diagnostics(yaml) == [
                #"p.yaml:3:26: backends.static[1]: invalid address "[fe80::1%eth0]:5432": character '%' is not allowed in an address; write host:port with an IPv4 address, a bracketed IPv6 address or a DNS name"#,
                #"p.yaml:3:49: backends.static[2]: invalid address "::1:80": an IPv6 address must be written in brackets, e.g. [2001:db8::1]:8080"#,
                #"p.yaml:3:59: backend [::1]:5432 is listed twice in backends.static"#,
                #"p.yaml:4:22: evaluation_interval must be longer than 0s"#,
                #"p.yaml:7:13: weights.static names 127.0.0.1:1, which is not a backend of the pool"#,
                #"p.yaml:7:31: weights.static: invalid address "bad address": character U+0020 is not allowed in an address; write host:port with an IPv4 address, a bracketed IPv6 address or a DNS name"#,
                #"p.yaml:10:8: scaling.max (2) must not be less than scaling.min (3)"#,
                #"p.yaml:12:17: scaling.targets[0].signal refers to signal "x", which is not defined under signals; define it under signals with a PromQL expression"#,
                #"p.yaml:12:27: scaling.targets[0].value must be greater than 0, not 0"#,
                #"p.yaml:14:13: scaling.steps.signal refers to signal "x", which is not defined under signals; define it under signals with a PromQL expression"#,
                #"p.yaml:16:28: scaling.steps.thresholds[0].upper (1) must not be less than scaling.steps.thresholds[0].lower (5)"#,
                #"p.yaml:16:51: scaling.steps.thresholds[0] takes only one of "adjustment", "percent", "set""#,
                #"p.yaml:17:9: scaling.steps.thresholds[1] needs "lower", "upper" or both"#,
                #"p.yaml:18:23: standby [::1]:5432 is also an active backend in backends.static"#,
            ]
        )
    }

    @Test func proxyWeightRangesAreEnforced() {
        let yaml = """
            pool: api
            backends: { static: ["127.0.0.1:1"] }
            weights: { strategy: equal, min: 0, max: 300 }
            apply:
              nginx: { file: /tmp/u.conf, upstream: api }
              haproxy: { socket: /run/h.sock, backend: api }
            """
        #expect(
            diagnostics(yaml) == [
                "p.yaml:3:34: weights.min must be at least 1 with apply.nginx (nginx weights start at 1); drain backends through health instead",
                "p.yaml:3:42: weights.max must be at most 256 with apply.haproxy (HAProxy's weight range is 0-256)",
            ]
        )
    }

    @Test func minChangeIsAPercentageOfAtMostAHundred() throws {
        let yaml = """
            pool: web
            backends: { static: ["127.0.0.1:9001"] }
            weights: { strategy: equal, min_change: 150% }
            """
        #expect(diagnostics(yaml) == ["p.yaml:3:41: weights.min_change must be between 0% and 100%, not 150%"])
        #expect(try load("web-nginx.yaml").weights?.minChange == Percent(10))
    }

    @Test func wrongTypesNameWhatWasExpected() {
        let yaml = """
            pool: [web]
            backends: { static: "127.0.0.1:1" }
            scrape: { interval: 15, path: metrics }
            health: { unhealthy_after: 2.5, max_ejected: 10 }
            weights: { strategy: fastest, smoothing: 0 }
            """
        #expect(
            diagnostics(yaml) == [
                #"p.yaml:1:7: pool must be a name of letters, digits, '_', '.' and '-', not a list"#,
                #"p.yaml:2:21: backends.static must be a list, not "127.0.0.1:1""#,
                #"p.yaml:3:21: scrape.interval needs a unit: write e.g. 15s or 15ms, not a bare number"#,
                #"p.yaml:3:31: scrape.path: "metrics" is not a valid HTTP path; start with / and use letters, digits and -._~/%?=&+"#,
                #"p.yaml:4:28: health.unhealthy_after must be a whole number, not "2.5""#,
                #"p.yaml:4:46: health.max_ejected: invalid percentage "10"; write a number followed by %, e.g. 25%"#,
                #"p.yaml:5:22: weights.strategy must be one of static, headroom, inverse, equal, not "fastest""#,
                #"p.yaml:5:42: weights.smoothing must be greater than 0 and at most 1, not 0"#,
            ]
        )
    }

    @Test func yamlSyntaxErrorIsReportedAtItsPosition() {
        let yaml = """
            pool: web
            backends: { static: ["127.0.0.1:9001"]
            scrape: x
            """
        #expect(
            diagnostics(yaml) == [
                "p.yaml:3:1: invalid YAML: did not find expected ',' or '}' (while parsing a flow mapping at line 2, column 11)"
            ]
        )
    }

    @Test func duplicateKeyPointsAtTheRepetition() {
        let yaml = """
            pool: web
            backends:
              static: ["127.0.0.1:9001"]
            pool: again
            """
        #expect(diagnostics(yaml) == [#"p.yaml:4:1: duplicate key "pool" (first at line 1); each key may appear once in a mapping"#])
    }

    @Test func aBodySizeLimitIsAtMostOneGibibyteHoweverLargeTheNumberWritten() {
        func limit(_ written: String) -> [String] {
            diagnostics("pool: web\nbackends: {static: [\"127.0.0.1:1\"]}\nscrape: {body_size_limit: \(written)}\n")
        }
        for written in ["2GiB", "1073741825", "99999999999999999999", "99999999999TiB"] {
            #expect(limit(written) == ["p.yaml:3:27: scrape.body_size_limit is at most 1GiB (the largest exposition Ballast scrapes)"], "\(written)")
        }
        #expect(limit("1GiB").isEmpty)
        #expect(limit("1073741824").isEmpty)
        #expect(limit("12XB") == [#"p.yaml:3:27: scrape.body_size_limit: "12XB" is not a size; write e.g. 16MiB, 512KiB, 10MB or a number of bytes"#])
    }

    @Test func poolNeedsAtLeastOneBackendSource() {
        #expect(diagnostics("pool: web\nbackends: {}\n") == [#"p.yaml:2:11: backends needs "static" addresses, a "file_sd" file, or both"#])
        #expect(diagnostics("pool: web\nbackends: { static: [] }\n") == ["p.yaml:2:21: backends.static needs at least 1 item"])
    }

    @Test func anchorsAliasesAndMergeKeysAreResolved() throws {
        let yaml = """
            pool: web
            backends: { static: ["127.0.0.1:9001"] }
            signals: { cpu: up }
            scaling:
              max: 3
              target: { signal: cpu, value: 1 }
              up: &behavior { stabilization: 30s, select: min }
              down:
                <<: *behavior
                select: disabled
            """
        let scaling = try #require(try PolicyLoader().load(yaml: yaml, path: "p.yaml").scaling)
        #expect(scaling.down.stabilization == .seconds(30))
        #expect(scaling.down.select == .disabled)
        #expect(scaling.up.select == .min)
        #expect(
            diagnostics("pool: web\nbackends: { static: [\"127.0.0.1:1\"] }\nscrape:\n  <<: 5\n") == [
                #"p.yaml:4:7: scrape.<< must merge a mapping or a list of mappings, not "5""#
            ]
        )
    }

    @Test func onlyOneDocumentAndOnlyAMappingMakeAPolicy() {
        #expect(diagnostics("pool: a\n---\npool: b\n") == ["p.yaml:2:1: a policy file holds one YAML document; move this one into its own file"])
        #expect(diagnostics("- pool: a\n") == ["p.yaml:1:1: the policy must be a mapping of keys, not a list"])
    }

    @Test func emptyFileNeedsPoolAndBackends() {
        #expect(diagnostics("") == [#"p.yaml:1:1: the policy is empty; it needs at least "pool" and "backends""#])
        #expect(diagnostics("# only a comment\n") == [#"p.yaml:1:1: the policy is empty; it needs at least "pool" and "backends""#])
    }

    @Test func controlCharactersInValuesCannotForgeDiagnosticLines() {
        let yaml = "pool: web\nbackends: { static: [\"evil\\n:80\"] }\n"
        let lines = diagnostics(yaml)
        #expect(lines.count == 1)
        #expect(lines.first?.contains(#""evil\u{a}:80""#) == true)
    }

    @Test func signalExpressionsGoThroughTheInjectedValidator() {
        let loader = PolicyLoader { expression in
            let lines = expression.split(separator: "\n", omittingEmptySubsequences: false)
            guard let line = lines.firstIndex(where: { $0.contains("BAD") }), let range = lines[line].firstRange(of: "BAD") else { return nil }
            let column = lines[line].utf8.distance(from: lines[line].startIndex, to: range.lowerBound) + 1
            return ExpressionProblem(line: line + 1, column: column, message: "no BAD here")
        }
        let yaml = """
            pool: web
            backends: { static: ["127.0.0.1:9001"] }
            signals:
              plain: rate(BAD[1m])
              quoted: "sum(BAD)"
              folded: >
                sum(
                BAD)
              literal: |
                sum(
                  BAD)
            replay: { load: BAD }
            """
        #expect(
            diagnostics(yaml, loader: loader) == [
                "p.yaml:4:15: signals.plain is not valid PromQL: no BAD here",
                "p.yaml:5:16: signals.quoted is not valid PromQL: no BAD here",
                "p.yaml:6:11: signals.folded is not valid PromQL: no BAD here",
                "p.yaml:11:7: signals.literal is not valid PromQL: no BAD here",
                "p.yaml:12:17: replay.load is not valid PromQL: no BAD here",
            ]
        )
    }

    @Test func misspelledSectionGetsASuggestion() {
        let yaml = """
            pool: web
            backends: { static: ["127.0.0.1:9001"] }
            scalling: { max: 3 }
            aply: {}
            frobnicate: 1
            """
        #expect(
            diagnostics(yaml) == [
                #"p.yaml:3:1: unknown key "scalling"; did you mean "scaling"?"#,
                #"p.yaml:4:1: unknown key "aply"; did you mean "apply"?"#,
                "p.yaml:5:1: unknown key \"frobnicate\"; known keys: pool, backends, scrape, signals_from, evaluation_interval, balance, hash, signals, weights, health, failover, "
                    + "scaling, capacity, cost, slo, replay, apply",
            ]
        )
    }
}
