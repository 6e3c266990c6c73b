import ArgumentParser
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The daemon's HTTP API from the command line: `ballast status`, `failover`, `failback`,
/// `drain`, `undrain`. The admin token is read from a file, never from an argument (arguments
/// are visible to every user in `ps`).
struct DaemonClient {
    var server: String
    var tokenFile: String?

    /// The `data` of a successful answer, or exit 1 with the API's error.
    func request(_ method: String, _ path: String, body: [String: String]? = nil) async throws -> Any {
        guard let url = URL(string: server.hasSuffix("/") ? String(server.dropLast()) + path : server + path) else {
            throw ValidationError("--server \(server): not a URL")
        }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.timeoutInterval = 30
        if let tokenFile {
            guard let data = FileManager.default.contents(atPath: tokenFile) else {
                fail("\(tokenFile): cannot read the token file")
            }
            let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        }
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
        }
        let data: Data
        do {
            (data, _) = try await URLSession.shared.data(for: request)
        } catch {
            fail("\(server): cannot reach the daemon: \(error.localizedDescription)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            fail("\(server): the answer is not the API's JSON")
        }
        guard object["status"] as? String == "success", let payload = object["data"] else {
            fail("\(object["error"] as? String ?? "the daemon refused the request")")
        }
        return payload
    }

    private func fail(_ message: String) -> Never {
        FileHandle.standardError.writeQuietly(Data((message + "\n").utf8))
        Foundation.exit(1)
    }
}

/// Options shared by the client commands.
struct ServerOptions: ParsableArguments {
    @Option(help: "The daemon's API.")
    var server = "http://127.0.0.1:9464"

    @Option(help: "A file holding the admin token (operator commands).")
    var tokenFile: String?

    var client: DaemonClient { DaemonClient(server: server, tokenFile: tokenFile) }
}

/// `ballast status`: every pool as a table — backends with health, weights desired/applied and
/// state, the serving tier, replicas, the last decision.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the daemon's pools: health, weights, replicas, the last decision."
    )

    @OptionGroup var options: ServerOptions

    func run() async throws {
        let pools = try await options.client.request("GET", "/api/v1/pools") as? [[String: Any]] ?? []
        if pools.isEmpty { print("no pools") }
        for pool in pools {
            let name = pool["pool"] as? String ?? "?"
            var header = "pool \(name): serving \(pool["servingTier"] as? String ?? "?")"
            if pool["panic"] as? Bool == true { header += ", PANIC" }
            if let hold = pool["holdDownRemainingSeconds"] as? Double, hold > 0 { header += ", hold-down \(Int(hold))s" }
            if let scaling = pool["scaling"] as? [String: Any] {
                header +=
                    ", replicas \(scaling["current"] ?? "?") → \(scaling["desired"] ?? "?") (min \(scaling["min"] ?? "?"), max \(scaling["max"] ?? "?"))"
            }
            header += pool["applied"] as? Bool == true ? ", applied" : ", NOT APPLIED"
            if pool["dryRun"] as? Bool == true { header += " (dry run)" }
            print(header)
            let rows = (pool["backends"] as? [[String: Any]] ?? []).map { backend -> [String] in
                let applied = (backend["appliedWeight"] as? Int).map(String.init) ?? "-"
                return [
                    "  " + (backend["address"] as? String ?? "?"), backend["tier"] as? String ?? "", backend["health"] as? String ?? "",
                    "\(backend["desiredWeight"] ?? "?")/\(applied)", backend["state"] as? String ?? "", backend["lastError"] as? String ?? "",
                ]
            }
            print(Self.table([["  BACKEND", "TIER", "HEALTH", "WEIGHT", "STATE", "LAST ERROR"]] + rows))
            for (signal, reason) in pool["signalErrors"] as? [String: String] ?? [:] { print("  signal \(signal): \(reason)") }
            if let last = (pool["decisions"] as? [[String: Any]])?.first {
                print("  last decision: \(last["kind"] ?? "?"): \(last["reason"] ?? "")")
            }
        }
    }

    static func table(_ rows: [[String]]) -> String {
        let widths = (0..<(rows.first?.count ?? 0)).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }
}

/// `ballast failover|failback POOL` and `ballast drain|undrain POOL BACKEND`.
struct OperatorCommandRunner {
    static func run(_ verb: String, pool: String, backend: String?, options: ServerOptions) async throws {
        let body = backend.map { ["backend": $0] }
        let answer = try await options.client.request("POST", "/api/v1/pools/\(pool)/\(verb)", body: body)
        let decisions = (answer as? [String: Any])?["decisions"] as? [[String: Any]] ?? []
        if decisions.isEmpty { print("\(pool): \(verb): no change") }
        for decision in decisions { print("\(pool): \(decision["kind"] ?? "?"): \(decision["reason"] ?? "")") }
    }
}

struct FailoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "failover",
        abstract: "Move a pool's traffic to its standby tier now (ignores hold-down)."
    )
    @Argument var pool: String
    @OptionGroup var options: ServerOptions
    func run() async throws { try await OperatorCommandRunner.run("failover", pool: pool, backend: nil, options: options) }
}

struct FailbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "failback", abstract: "Move a pool's traffic back to its active tier now.")
    @Argument var pool: String
    @OptionGroup var options: ServerOptions
    func run() async throws { try await OperatorCommandRunner.run("failback", pool: pool, backend: nil, options: options) }
}

struct DrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "drain", abstract: "Stop sending new traffic to a backend.")
    @Argument var pool: String
    @Argument var backend: String
    @OptionGroup var options: ServerOptions
    func run() async throws { try await OperatorCommandRunner.run("drain", pool: pool, backend: backend, options: options) }
}

struct UndrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "undrain", abstract: "Return a drained backend to rotation.")
    @Argument var pool: String
    @Argument var backend: String
    @OptionGroup var options: ServerOptions
    func run() async throws { try await OperatorCommandRunner.run("undrain", pool: pool, backend: backend, options: options) }
}
