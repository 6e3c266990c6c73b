import Foundation
import TestSupport
import Testing

/// `ballast check` validates policies and reports every problem as `PATH:LINE:COL: message`.
@Suite(.enabled(if: BallastProcess.binary != nil, "needs the ballast executable: run swift build --build-tests first"))
struct CheckCommandTests {
    private static let policiesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("policies").path

    @Test func theExamplePoliciesAreValid() throws {
        let outcome = try BallastProcess.run(["check", Self.policiesDirectory])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardOutput.split(separator: "\n").count >= 4)
    }

    @Test func everyErrorIsReportedWithItsPositionNotOnlyTheFirst() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write(
            "broken.yaml",
            """
            pool: web
            backends:
              static: ["127.0.0.1:9001", "10.0.0.1:80;rm -rf /"]
            scrape: { intervall: 5s }
            signals:
              cpu: rate(process_cpu_seconds_total[1m]
            scaling: { min: 5, max: 2, target: { signal: memory, value: 0.6 } }

            """
        )
        let outcome = try BallastProcess.run(["check", file])
        #expect(outcome.status == 1)
        let lines = outcome.standardError.split(separator: "\n").map(String.init)
        #expect(lines.count >= 5, "\(lines)")
        #expect(lines.allSatisfy { $0.hasPrefix(file + ":") })
        #expect(lines.contains { $0.hasPrefix("\(file):3:") })
        #expect(lines.contains { $0.hasPrefix("\(file):4:") && $0.contains("interval") })
        #expect(lines.contains { $0.hasPrefix("\(file):6:") })
        #expect(lines.contains { $0.hasPrefix("\(file):7:") && $0.contains("memory") })
    }

    @Test func aSignalTooDeepForTheDaemonIsRefusedWithItsPosition() throws {
        let directory = try TemporaryDirectory()
        let chain = Array(repeating: "up", count: 50_000).joined(separator: " + ")
        let file = try directory.write("deep.yaml", "pool: p\nbackends: {static: [\"127.0.0.1:1\"]}\nsignals:\n  s: \(chain)\n")
        let outcome = try BallastProcess.run(["check", file])
        #expect(outcome.status == 1)
        #expect(outcome.standardError.contains("deep.yaml:4:6: signals.s is not valid PromQL: the expression is 50000 levels deep"))
    }

    @Test func anEmptyDirectoryOrAMissingFileIsAnErrorNotASilentPass() throws {
        let directory = try TemporaryDirectory()
        let empty = directory.file("empty")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let outcome = try BallastProcess.run(["check", empty, directory.file("missing.yaml")])
        #expect(outcome.status == 1)
        #expect(
            outcome.standardError == "\(empty):1:1: no *.yaml or *.yml policy files in the directory; add one or name the files\n"
                + "\(directory.file("missing.yaml")):1:1: no such file or directory\n"
        )
    }

    @Test func twoPoliciesClaimingOneUpstreamFileAreRefusedTogether() throws {
        let directory = try TemporaryDirectory()
        let apply = "apply: {nginx: {file: /etc/nginx/conf.d/shared.conf, upstream: shared}}"
        let web = try directory.write("web.yaml", "pool: web\nbackends: {static: [\"10.0.0.1:80\"]}\n\(apply)\n")
        let api = try directory.write("api.yaml", "pool: api\nbackends: {static: [\"10.0.0.2:80\"]}\n\(apply)\n")
        let outcome = try BallastProcess.run(["check", web, api])
        #expect(outcome.status == 1)
        #expect(outcome.standardError.contains("\(api):1:1: the nginx file /etc/nginx/conf.d/shared.conf is also applied by pool web"))
    }

    @Test func printSchemaEmitsJSONSchema() throws {
        let outcome = try BallastProcess.run(["check", "--print-schema"])
        #expect(outcome.status == 0)
        let schema = try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any]
        #expect(schema?["$schema"] != nil)
        #expect((schema?["properties"] as? [String: Any])?["scaling"] != nil)
    }
}
