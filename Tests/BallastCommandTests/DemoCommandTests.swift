import Foundation
import TestSupport
import Testing

/// `ballast demo`, the README's first command, tells its whole story: every beat is checked by
/// the demo against the daemon's own status and decisions and printed with ✓ or ✗.
@Suite struct DemoCommandTests {
    /// Opt-in (`BALLAST_DEMO_TEST=1`): its minute of load beside the parallel suite starves
    /// timing-bound tests such as the hook runner's; CI's quick start runs the demo on its own.
    @Test(
        .enabled(if: BallastProcess.binary != nil && NginxPeer.isInstalled && HAProxyPeer.isInstalled),
        .enabled(if: ProcessInfo.processInfo.environment["BALLAST_DEMO_TEST"] == "1"),
        arguments: ["nginx", "haproxy"]
    )
    func theDemoTellsTheWholeStoryAndStopsEverythingItStarted(proxy: String) throws {
        let outcome = try BallastProcess.run(["demo", "--duration", "60s", "--proxy", proxy])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let summary = outcome.standardOutput.components(separatedBy: "==> summary").last ?? ""
        for beat in ["weight fell", "scaled out", "ejected when it died", "promoted", "scaled in"] {
            let line = summary.split(separator: "\n").first { $0.contains(beat) } ?? ""
            #expect(line.contains("✓"), "beat \(beat): \(line)\n\(outcome.standardOutput.suffix(3000))")
        }
        // Nothing it started is left running.
        let directory = outcome.standardOutput.firstMatch(of: /files in (\S+)\)/).map { String($0.1) } ?? "?"
        #expect(!FileManager.default.fileExists(atPath: directory))
        let leftovers = Self.commandLines().filter { $0.contains(directory) }
        #expect(leftovers.isEmpty, "processes left running: \(leftovers)")
    }

    /// Every running process's command line (arguments joined by spaces).
    static func commandLines() -> [String] {
        let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return pids.filter { Int($0) != nil }.compactMap { pid in
            FileManager.default.contents(atPath: "/proc/\(pid)/cmdline").map { String(decoding: $0.map { $0 == 0 ? 32 : $0 }, as: UTF8.self) }
        }
    }

    @Test(.enabled(if: BallastProcess.binary != nil))
    func aTooShortDurationIsAUsageError() throws {
        let outcome = try BallastProcess.run(["demo", "--duration", "5s"])
        #expect(outcome.status == 2)
        #expect(outcome.standardError.contains("at least 40s"))
        let proxy = try BallastProcess.run(["demo", "--proxy", "envoy"])
        #expect(proxy.status == 2)
        #expect(proxy.standardError.contains("give nginx or haproxy"))
    }
}
