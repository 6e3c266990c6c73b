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

    @Test func printSchemaEmitsJSONSchema() throws {
        let outcome = try BallastProcess.run(["check", "--print-schema"])
        #expect(outcome.status == 0)
        let schema = try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any]
        #expect(schema?["$schema"] != nil)
        #expect((schema?["properties"] as? [String: Any])?["scaling"] != nil)
    }
}
