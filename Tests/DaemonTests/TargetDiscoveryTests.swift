import Collector
import Daemon
import Foundation
import HTTPFetch
import Policy
import PolicyLoading
import TestSupport
import Testing

/// Policies become scrape targets: static backends, file_sd files (JSON and YAML, relative to
/// the policy, re-read on change, the last good targets kept when a file breaks), the metrics
/// endpoint's scheme, port, path and parameters, and secrets' files resolved.
@Suite struct TargetDiscoveryTests {
    private func load(_ directory: TemporaryDirectory) -> (PolicySet, [String]) {
        PolicySet.load([directory.path], loader: PolicyLoader())
    }

    @Test func staticAndFileSDBackendsBecomeTargetsWithTheirLabelsAndEndpoint() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.file("targets"), withIntermediateDirectories: true)
        try directory.write("targets/db.json", #"[{"targets": ["10.0.0.2:5432", "db-3.internal:5432"], "labels": {"zone": "b"}}]"#)
        try directory.write(
            "db.yaml",
            """
            pool: db
            backends:
              static: ["10.0.0.1:5432"]
              file_sd: targets/db.json
            scrape:
              interval: 5s
              timeout: 2s
              scheme: https
              port: 9187
              path: /probe
              params: {module: [pg, "a b"]}
              body_size_limit: 1MiB
              tls: {ca_file: ca.pem, insecure_skip_verify: true}
              bearer_token_file: secrets/token

            """
        )
        let (set, problems) = load(directory)
        #expect(problems.isEmpty, "\(problems)")
        var discovery = TargetDiscovery()
        let (targets, fileProblems) = discovery.targets(for: set)
        #expect(fileProblems.isEmpty)
        #expect(targets.map(\.instance) == ["10.0.0.1:5432", "10.0.0.2:5432", "db-3.internal:5432"])
        #expect(targets[0].url == "https://10.0.0.1:9187/probe?module=pg&module=a%20b")
        #expect(targets[2].url == "https://db-3.internal:9187/probe?module=pg&module=a%20b")
        #expect(targets[1].labels == ["zone": "b"] && targets[0].labels.isEmpty)
        #expect(
            targets.allSatisfy {
                $0.job == "db" && $0.intervalMilliseconds == 5_000 && $0.timeoutMilliseconds == 2_000 && $0.bodySizeLimit == 1 << 20
            }
        )
        let resolved = URL(fileURLWithPath: directory.path).standardized.path
        #expect(targets[0].bearerTokenFile == resolved + "/secrets/token")
        #expect(targets[0].tls.caFile == resolved + "/ca.pem" && targets[0].tls.insecureSkipVerify)
    }

    @Test func aBodySizeLimitOfZeroIsTheLargestAllowed() throws {
        let directory = try TemporaryDirectory()
        try directory.write("web.yaml", "pool: web\nbackends: {static: ['10.1.0.1:80']}\nscrape: {body_size_limit: 0}\n")
        let (set, problems) = load(directory)
        #expect(problems.isEmpty, "\(problems)")
        var discovery = TargetDiscovery()
        #expect(discovery.targets(for: set).0.map(\.bodySizeLimit) == [1 << 30])
    }

    @Test func aChangedFileSDIsReReadAndABrokenOneKeepsItsLastTargets() throws {
        let directory = try TemporaryDirectory()
        try directory.write("web.yaml", "pool: web\nbackends: {file_sd: web.yml}\n")
        try directory.write("web.yml", "- targets: ['10.1.0.1:80']\n")
        let (set, _) = load(directory)
        var discovery = TargetDiscovery()
        #expect(discovery.targets(for: set).0.map(\.instance) == ["10.1.0.1:80"])

        try "- targets: ['10.1.0.1:80', '10.1.0.2:80']\n  labels: {rack: r1}\n".write(
            toFile: directory.file("web.yml"),
            atomically: true,
            encoding: .utf8
        )
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(5)], ofItemAtPath: directory.file("web.yml"))
        #expect(discovery.targets(for: set).0.map(\.instance) == ["10.1.0.1:80", "10.1.0.2:80"])

        try "- targets: ['10.1.0.3:80; include /etc/passwd']\n".write(toFile: directory.file("web.yml"), atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(10)], ofItemAtPath: directory.file("web.yml"))
        let (kept, problems) = discovery.targets(for: set)
        #expect(kept.map(\.instance) == ["10.1.0.1:80", "10.1.0.2:80"])
        #expect(problems.count == 1 && problems[0].hasPrefix(directory.file("web.yml") + ":1:"))
        #expect(discovery.targets(for: set).1.isEmpty, "an unchanged broken file is reported once")

        try FileManager.default.removeItem(atPath: directory.file("web.yml"))
        let (gone, missing) = discovery.targets(for: set)
        #expect(gone.isEmpty, "a deleted file_sd file takes its targets with it")
        #expect(missing.count == 1 && missing[0].contains("missing"))
        #expect(discovery.targets(for: set).1.isEmpty)
    }

    @Test func poolNamesAreUniqueAndAnAddressBelongsToOnePool() throws {
        let directory = try TemporaryDirectory()
        try directory.write("a.yaml", "pool: web\nbackends: {static: ['10.0.0.1:80']}\n")
        try directory.write("b.yaml", "pool: web\nbackends: {static: ['10.0.0.2:80']}\n")
        try directory.write("c.yaml", "pool: api\nbackends: {static: ['10.0.0.1:80']}\n")
        let (set, problems) = load(directory)
        #expect(set.policies.isEmpty)
        #expect(problems.contains { $0.contains("pool web is also defined in") })
        #expect(problems.contains { $0.contains("backend 10.0.0.1:80 is also in pool web") })
    }

    @Test func aPolicyThatFailsKeepsItsPreviousVersion() throws {
        let directory = try TemporaryDirectory()
        try directory.write("web.yaml", "pool: web\nbackends: {static: ['10.0.0.1:80']}\n")
        let (first, _) = load(directory)
        try directory.write("web.yaml", "pool: web\nbackends: {static: ['10.0.0.1']}\n")
        let (second, problems) = PolicySet.load([directory.path], loader: PolicyLoader(), previous: first)
        #expect(second == first)
        #expect(problems.count == 1 && problems[0].hasPrefix(directory.file("web.yaml") + ":2:"))
    }

    @Test func theDaemonConfigurationReadsEveryKeyAndReportsEveryProblem() throws {
        let configuration = try DaemonConfigurationLoader().load(
            yaml: """
                listen: 127.0.0.1:9500
                store: {path: data/ballast.db, retention: 7d, retention_size: 2GB}
                policies: [policies/, extra.yaml]
                admin: {token_file: token}
                log: {level: debug, format: json}

                """,
            path: "ballast.yaml"
        )
        #expect(configuration.listen == "127.0.0.1:9500")
        #expect(configuration.storePath == "data/ballast.db")
        #expect(configuration.retention == PolicyDuration(milliseconds: 7 * 86_400_000))
        #expect(configuration.retentionSize == 2_000_000_000)
        #expect(configuration.policies == ["policies/", "extra.yaml"])
        #expect(configuration.adminTokenFile == "token")
        #expect(configuration.logLevel == "debug" && configuration.logFormat == "json")
        let error = #expect(throws: PolicyLoadError.self) {
            try DaemonConfigurationLoader().load(
                yaml: "listen: everywhere\nstore: {retention: 5 days}\nlog: {level: loud}\nlisen: x\n",
                path: "bad.yaml"
            )
        }
        #expect(error?.diagnostics.map { "\($0.line):\($0.column)" } == ["1:9", "2:20", "3:14", "4:1"])
    }
}
