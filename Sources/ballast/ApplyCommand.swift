import Apply
import ArgumentParser
import Foundation
import InputFiles
import Logging
import Policy
import PolicyLoading
import Store

/// `ballast apply --policy POLICY --state STATE.json --dry-run`: shows the exact upstream-file
/// diff, Runtime API commands or hook input a routing would cause, before anything is changed;
/// without `--dry-run` it applies that routing once.
struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Show (--dry-run) or carry out what a pool's routing would change in its proxy.",
        discussion: """
            STATE.json is a JSON object with a "routing" list of {"address", "weight", "state"} (state: serving, \
            slow_start, ejected, drained or standby), as in a saved engine state. Exits 0 when the plan was printed \
            or the routing applied, 1 on invalid input or a failed apply.
            """
    )

    @Option(help: "The pool's policy file.")
    var policy: String

    @Option(help: "A JSON file holding the routing to apply.")
    var state: String

    @Flag(name: .customLong("dry-run"), help: "Print the diff or commands; change nothing.")
    var dryRun = false

    func run() async throws {
        let loaded = try PolicyFile.load(policy)
        let routing: [BackendRouting]
        let data: Data
        do {
            data = Data(try InputFile.bytes(state))
        } catch {
            FileHandle.standardError.writeQuietly(Data("\(error)\n".utf8))
            throw ExitCode(1)
        }
        do {
            routing = try JSONDecoder().decode(RoutingDocument.self, from: data).routing
        } catch {
            FileHandle.standardError.writeQuietly(
                Data("\(state):1:1: not a routing document: \(error); expected {\"routing\": [{\"address\", \"weight\", \"state\"}]}\n".utf8)
            )
            throw ExitCode(1)
        }
        if let problem = Self.problem(with: routing) {
            FileHandle.standardError.writeQuietly(Data("\(state):1:1: \(problem)\n".utf8))
            throw ExitCode(1)
        }
        let logger = Logger(label: "ballast.apply") { StreamLogHandler.standardError(label: $0) }
        let applier = Appliers.make(for: loaded, policyPath: policy, dryRun: false, logger: logger, clock: { WallClock.now() })
        let change = RoutingChange(pool: loaded.pool, routing: routing, decisions: [])
        do {
            if dryRun {
                print(try await applier.plan(change), terminator: "")
            } else {
                _ = try await applier.apply(change)
                print("\(loaded.pool): applied through \(applier.name)")
            }
        } catch {
            FileHandle.standardError.writeQuietly(Data("\(loaded.pool): \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    /// What makes a routing impossible to apply: none, an address twice, a weight out of range.
    private static func problem(with routing: [BackendRouting]) -> String? {
        if routing.isEmpty { return "the routing is empty; a pool is never emptied" }
        var seen: Set<BackendAddress> = []
        for backend in routing {
            if !seen.insert(backend.address).inserted { return "\(backend.address) is listed twice" }
            if !(0...1_000_000).contains(backend.weight) {
                return "the weight of \(backend.address) must be between 0 and 1000000, not \(backend.weight)"
            }
        }
        return nil
    }

    private struct RoutingDocument: Decodable {
        var routing: [BackendRouting]
    }
}
