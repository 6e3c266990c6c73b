import Foundation
import Policy
import TestSupport
import Testing

@testable import PolicyLoading

@Suite struct PolicyDocumentTests {
    /// Every section and every alternative spelling the examples do not use.
    static let everySection = """
        pool: orders
        backends:
          static: ["10.0.0.1:8080", "10.0.0.2:8080", "[2001:db8::1]:8080", "db-3.example:5432"]
          file_sd: /etc/ballast/targets/orders.json
        scrape: { interval: 1m30s, timeout: 500ms, path: /internal/metrics?format=text }
        evaluation_interval: 1m30s
        signals:
          util: backend_utilization
          lag: pg_replication_lag_seconds
          errors: rate(http_requests_total{code=~"5.."}[1m])
        weights:
          strategy: static
          static: { "10.0.0.1:8080": 3, "[2001:db8::1]:8080": 0 }
          min: 0
          max: 10
          smoothing: 1
          max_step: 0.00001%
          min_change: 12.5%
          slow_start: 2h
          stale_after: 1d
        health: { eject_when: "errors >= 0.00001", max_ejected: 100%, panic_threshold: 0%, max_eject_for: 1w }
        failover:
          standby: ["10.0.0.9:8080"]
          promote: { exec: [/bin/promote, --fast] }
          overprovisioning_factor: 2
          activate_below: 12.5%
          failback: manual
          failback_delay: 0s
          eligibility: { max_lag: { signal: lag, max: 10s } }
        scaling:
          min: 2
          max: 30
          targets: [{ signal: util, value: 0.6 }, { signal: errors, value: 1, tolerance: 0 }]
          up: { policies: [{ percent: 50, period: 30s }], select: min }
          down: { stabilization: 10m, policies: [{ replicas: 2, period: 1m }], select: disabled }
          cooldown: 45s
          steps:
            signal: util
            thresholds:
              - { upper: 0.2, adjustment: -1 }
              - { lower: 0.8, upper: 0.95, percent: 25% }
              - { lower: 0.95, set: 30 }
          fallback: { replicas: 5, after_failures: 4 }
          hook: { exec: [./scale.sh], timeout: 500ms }
        capacity: { per_replica_rps: 2.5e300 }
        cost: { per_replica_hour: 0.00001 }
        replay: { signals: { util: utilization, lag: latency_p99_seconds }, load: "sum(rate(x[1m]))" }
        apply:
          haproxy: { address: "[::1]:9999", backend: orders }
          exec: { exec: [./apply.sh, "it's \\"quoted\\" \\\\ and/slashed", "ünïcode", "0", "true", "null"], timeout: 2s }
        """

    /// Scaling from step bands alone, so the policy has no `targets` list.
    static let stepsOnly = """
        pool: batch
        backends: { file_sd: targets/batch.json }
        signals: { queue: sum(queue_depth) }
        scaling:
          max: 4
          steps: { signal: queue, thresholds: [{ lower: 100, set: 4 }] }
        """

    static let extraDocuments = ["every-section.yaml": everySection, "steps-only.yaml": stepsOnly]
    static let documentNames = ExamplePolicies.names + extraDocuments.keys.sorted()

    private func load(_ yaml: String, path: String) throws -> PoolPolicy {
        try PolicyLoader().load(yaml: yaml, path: path)
    }

    private func loadDocument(_ name: String) throws -> PoolPolicy {
        try load(try Self.extraDocuments[name] ?? ExamplePolicies.text(name), path: name)
    }

    /// Stable JSON: sorted keys, so equal policies encode to equal bytes.
    private func json(_ policy: PoolPolicy) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return String(decoding: try encoder.encode(policy.document), as: UTF8.self)
    }

    /// The loader's messages for `yaml`, without positions.
    private func loaderProblems(_ yaml: String) -> [String] {
        do {
            _ = try PolicyLoader().load(yaml: yaml, path: "p.json")
            return []
        } catch {
            return error.diagnostics.map(\.message)
        }
    }

    @Test(arguments: documentNames)
    func policyEncodesToJSONThatTheLoaderReadsBackEqual(name: String) throws {
        let original = try loadDocument(name)
        let encoded = try json(original)
        let reloaded = try load(encoded, path: "\(name).json")
        #expect(reloaded == original.withMapsInNameOrder)
        #expect(try json(reloaded) == encoded)
    }

    @Test(arguments: documentNames)
    func everyKeyWrittenIsAKeyOfTheSchema(name: String) throws {
        let object = try JSONSerialization.jsonObject(with: Data(try json(try loadDocument(name)).utf8))
        var written: [String] = []
        func walk(_ value: Any, _ prefix: String, schema: [String]) {
            if let object = value as? [String: Any] {
                for (key, child) in object {
                    let path = prefix.isEmpty ? key : "\(prefix).\(key)"
                    // Map sections (`signals`, `weights.static`, `scrape.params`) hold chosen names.
                    guard schema.contains(path) else { continue }
                    written.append(path)
                    walk(child, path, schema: schema)
                }
            } else if let items = value as? [Any] {
                for item in items { walk(item, prefix + "[]", schema: schema) }
            }
        }
        let schema = PolicySchema.keyPaths
        walk(object, "", schema: schema)
        let topLevel = try #require(object as? [String: Any]).keys
        #expect(Set(topLevel).isSubset(of: schema))
        #expect(written.count > 5)
    }

    @Test func unitsAreWrittenAsInAPolicyFile() throws {
        let encoded = try json(try loadDocument("every-section.yaml"))
        for fragment in [
            #""evaluation_interval" : "1m30s""#, #""max_step" : "0.00001%""#, #""min_change" : "12.5%""#, #""eject_when" : "errors >= 1e-05""#,
            #""address" : "[::1]:9999""#, #""10.0.0.1:8080" : 3"#, #""percent" : "50%""#, #""set" : 30"#,
            #""max_lag" : {"#, #""per_replica_rps" : 2.5e+300"#, #""exec" : ["#,
        ] {
            #expect(encoded.contains(fragment), "missing \(fragment) in \(encoded)")
        }
        #expect(!encoded.contains("\"target\""), "targets are written as the list \"targets\"")
    }

    @Test func aPolicyWithoutOptionalSectionsEncodesOnlyWhatItHas() throws {
        let policy = PoolPolicy(pool: "web", backends: BackendSource(fileSD: "web.json"))
        let encoded = try json(policy)
        #expect(!encoded.contains("\"static\""))
        for absent in ["weights", "failover", "scaling", "capacity", "cost", "replay"] {
            #expect(!encoded.contains("\"\(absent)\""))
        }
        #expect(try load(encoded, path: "web.json") == policy)
    }

    @Test(arguments: [0.00001, -0.000000125, 12.5, 1e16 + 2, 99.99999999999999])
    func aPercentageIsWrittenSoItReadsBack(value: Double) throws {
        let text = Percent(value).description
        #expect(!text.contains("e"))
        #expect(try Percent(parsing: text) == Percent(value))
    }

    static let badUnits: [(key: String, value: String)] = [
        ("evaluation_interval", #""5 parsecs""#),
        ("evaluation_interval", #""15""#),
        ("health.max_ejected", #""150""#),
        ("health.eject_for", #""30 s""#),
        ("health.eject_when", #""errors >> 0.5""#),
        ("weights.max_step", #""25 %""#),
        ("scaling.down.stabilization", #""300s5m""#),
    ]

    @Test(arguments: badUnits)
    func aBadUnitInJSONIsReportedAtItsKey(key: String, value: String) throws {
        let broken = try replacing(key, with: value, in: try json(try loadDocument("every-section.yaml")))
        let problems = loaderProblems(broken)
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix(key) == true, "\(problems)")
    }

    @Test func aBadAddressInJSONIsRefusedWithTheParsersReason() throws {
        let encoded = try json(try loadDocument("every-section.yaml"))
        let badPort = try replacing("backends.static", with: #"["10.0.0.1:8080", "10.0.0.2:99999"]"#, in: encoded)
        #expect(loaderProblems(badPort) == ["backends.static[1]: invalid address \"10.0.0.2:99999\": \(BackendAddressError.invalidPort("99999"))"])
        let badKey = encoded.replacingOccurrences(of: #""10.0.0.1:8080" : 3"#, with: #""10.0.0.1;reboot:8080" : 3"#)
        let problem = "weights.static: invalid address \"10.0.0.1;reboot:8080\": \(BackendAddressError.forbiddenCharacter(";"))"
        #expect(loaderProblems(badKey) == [problem])
    }

    @Test func aDurationWithoutItsUnitIsNotADuration() throws {
        let broken = try replacing("scrape.timeout", with: "2", in: try json(try loadDocument("steps-only.yaml")))
        #expect(loaderProblems(broken) == ["scrape.timeout needs a unit: write e.g. 2s or 2ms, not a bare number"])
    }

    @Test func aRateLimitTakesReplicasOrPercentNotBoth() throws {
        let broken = try replacing(
            "scaling.down.policies",
            with: #"[{"replicas": 2, "percent": "10%", "period": "1m"}]"#,
            in: try json(try loadDocument("every-section.yaml"))
        )
        #expect(loaderProblems(broken) == [#"scaling.down.policies[0] takes only one of "replicas", "percent""#])
    }

    @Test func numbersTheLoaderAcceptsForPercentagesAndLagReadBackToo() throws {
        let encoded = try json(try loadDocument("every-section.yaml"))
        var edited = try replacing("failover.eligibility.max_lag.max", with: #""1m""#, in: encoded)
        edited = try replacing("scaling.up.policies", with: #"[{"percent": 50, "period": "30s"}]"#, in: edited)
        let reloaded = try load(edited, path: "edited.json")
        #expect(reloaded.failover?.eligibility.maxLag == LagBound(signal: "lag", max: 60))
        #expect(reloaded.scaling?.up.policies == [ScalingRateLimit(change: .percent(50), period: .seconds(30))])
    }

    /// `json` with the value at the dotted `key` replaced by the JSON text `value`.
    private func replacing(_ key: String, with value: String, in json: String) throws -> String {
        var root = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let replacement = try JSONSerialization.jsonObject(with: Data(value.utf8), options: .fragmentsAllowed)
        func set(_ keys: ArraySlice<Substring>, in object: inout [String: Any]) throws {
            let key = String(keys.first!)
            guard keys.count > 1 else {
                object[key] = replacement
                return
            }
            var child = try #require(object[key] as? [String: Any], "no object at \(key)")
            try set(keys.dropFirst(), in: &child)
            object[key] = child
        }
        try set(key.split(separator: ".")[...], in: &root)
        return String(decoding: try JSONSerialization.data(withJSONObject: root, options: [.sortedKeys]), as: UTF8.self)
    }
}

extension PoolPolicy {
    /// The policy with its map-shaped sections (`signals`, `replay.signals`) in name order: JSON
    /// objects carry no order, so that is the order a policy has after a trip through JSON.
    fileprivate var withMapsInNameOrder: PoolPolicy {
        var policy = self
        policy.signals.sort { $0.name < $1.name }
        policy.replay?.signals.sort { $0.signal < $1.signal }
        return policy
    }
}
