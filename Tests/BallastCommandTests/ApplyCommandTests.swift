import Foundation
import TestSupport
import Testing

/// `ballast apply --dry-run`: what a routing would change, before anything changes.
@Suite(.enabled(if: BallastProcess.binary != nil, "\(BallastExecutable.missingReason)"))
struct ApplyCommandTests {
    private func policy(_ directory: TemporaryDirectory) throws -> String {
        try directory.write(
            "web.yaml",
            """
            pool: web
            backends: {static: ["10.0.0.1:80", "10.0.0.2:80"]}
            balance: least_conn
            apply: { nginx: { file: upstream.conf, upstream: web } }

            """
        )
    }

    @Test func dryRunPrintsTheUpstreamDiffAndWritesNothing() throws {
        let directory = try TemporaryDirectory()
        let policy = try policy(directory)
        let state = try directory.write(
            "state.json",
            #"{"routing": [{"address": "10.0.0.1:80", "weight": 4, "state": "serving"}, {"address": "10.0.0.2:80", "weight": 1, "state": "ejected"}]}"#
        )
        let outcome = try BallastProcess.run(["apply", "--policy", policy, "--state", state, "--dry-run"])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardOutput.contains("+    least_conn;"))
        #expect(outcome.standardOutput.contains("+    server 10.0.0.1:80 weight=4 max_fails=1 fail_timeout=10s;"))
        #expect(outcome.standardOutput.contains("+    server 10.0.0.2:80 down;"))
        #expect(outcome.standardOutput.contains("then: nginx -t && nginx -s reload"))
        #expect(!FileManager.default.fileExists(atPath: directory.file("upstream.conf")))
    }

    @Test(arguments: [
        (#"{"routing": []}"#, "the routing is empty"),
        (
            #"{"routing": [{"address": "10.0.0.1:80", "weight": 1, "state": "serving"}, {"address": "10.0.0.1:80", "weight": 2, "state": "ejected"}]}"#,
            "listed twice"
        ),
        (#"{"routing": [{"address": "10.0.0.1:80", "weight": 9223372036854775807, "state": "serving"}]}"#, "must be between 0 and 1000000"),
    ])
    func anImpossibleRoutingIsRefused(state: String, problem: String) throws {
        let directory = try TemporaryDirectory()
        let policy = try policy(directory)
        let file = try directory.write("state.json", state)
        let outcome = try BallastProcess.run(["apply", "--policy", policy, "--state", file, "--dry-run"])
        #expect(outcome.status == 1)
        #expect(outcome.standardError.hasPrefix("\(file):1:1: ") && outcome.standardError.contains(problem), "\(outcome.standardError)")
    }

    @Test(arguments: [
        #"{"routing": [{"address": "1.2.3.4:80; include /etc/passwd", "weight": 1, "state": "serving"}]}"#,
        #"{"routing": [{"address": "10.0.0.1:80\nserver evil:1", "weight": 1, "state": "serving"}]}"#,
        #"{"routing": [{"address": "$(reboot):80", "weight": 1, "state": "serving"}]}"#,
        #"{"routing": [{"address": "10.0.0.1:80", "weight": 1, "state": "online"}]}"#,
        "not json",
    ])
    func aHostileOrBrokenStateIsRefusedBeforeAnythingIsRendered(state: String) throws {
        let directory = try TemporaryDirectory()
        let policy = try policy(directory)
        let file = try directory.write("state.json", state)
        let outcome = try BallastProcess.run(["apply", "--policy", policy, "--state", file, "--dry-run"])
        #expect(outcome.status == 1)
        #expect(outcome.standardError.hasPrefix("\(file):1:1: not a routing document"))
        #expect(outcome.standardOutput.isEmpty)
    }
}
