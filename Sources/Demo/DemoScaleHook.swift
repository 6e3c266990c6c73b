package import Foundation

/// The demo pool's scale hook (`ballast demo-scale-hook`), run by the daemon as any scale hook
/// is: JSON on stdin, the pool's members on stdout. Scaling out starts new `ballast sim-backend`
/// processes in sessions of their own (so they outlive the hook); scaling in removes dead
/// members first, then the backends it started, newest first, and stops those. What it started
/// is kept in `scaled-backends.json` in the demo's directory, so the demo stops them at the end.
package struct DemoScaleHook: Sendable {
    package var directory: String
    package var ballast: String
    package var capacity: Double
    package var latencyMs: Double

    package init(directory: String, ballast: String, capacity: Double, latencyMs: Double) {
        self.directory = directory
        self.ballast = ballast
        self.capacity = capacity
        self.latencyMs = latencyMs
    }

    struct Request: Decodable {
        var pool: String
        var to: Int
        var backends: [String]
    }

    /// A backend the hook started.
    package struct Started: Codable, Sendable {
        package var address: String
        package var pid: Int32
    }

    /// More members than any demo policy allows (its `scaling.max` is 6): a bound on the
    /// processes one request can start.
    package static let maximumMembers = 32

    /// The state file listing what the hook started.
    package static func stateFile(in directory: String) -> String { directory + "/scaled-backends.json" }

    /// The backends the hook started that have not been stopped.
    package static func started(in directory: String) -> [Started] {
        guard let data = FileManager.default.contents(atPath: stateFile(in: directory)) else { return [] }
        return (try? JSONDecoder().decode([Started].self, from: data)) ?? []
    }

    /// Answers one scale request: the JSON the daemon reads from stdout.
    package func answer(_ input: Data) async throws -> String {
        let request: Request
        do {
            request = try JSONDecoder().decode(Request.self, from: input)
        } catch {
            throw DemoError("the scale request on stdin is not the daemon's JSON: \(error)")
        }
        let lock = open(directory + "/scale-hook.lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard lock >= 0 else { throw DemoError("cannot open the hook's lock in \(directory)") }
        defer { close(lock) }
        flock(lock, LOCK_EX)
        var started = Self.started(in: directory)
        var members = request.backends
        guard request.to <= Self.maximumMembers else {
            throw DemoError("the demo pool has at most \(Self.maximumMembers) members; \(request.to) were asked for")
        }
        let target = max(1, request.to)
        let stateFile = URL(fileURLWithPath: Self.stateFile(in: directory))
        while members.count < target {
            let port = try LoopbackPort.free()
            let argv = [ballast, "sim-backend", "--listen", "127.0.0.1:\(port)", "--capacity", "\(capacity)", "--latency-ms", "\(latencyMs)"]
            let process = try ChildProcess.spawn(argv, name: "scaled-\(port)", log: directory + "/sim-\(port).log", newSession: true)
            guard await LoopbackPort.waitUntilListening(port, process: process, limit: .seconds(5)) else {
                process.send(SIGKILL)
                throw DemoError("the new sim backend on port \(port) did not start; see \(directory)/sim-\(port).log")
            }
            members.append("127.0.0.1:\(port)")
            started.append(Started(address: "127.0.0.1:\(port)", pid: process.pid))
            // Recorded at once, so a hook stopped midway leaves nothing the demo cannot stop.
            try JSONEncoder().encode(started).write(to: stateFile, options: .atomic)
        }
        if members.count > target {
            let startedAddresses = started.map(\.address)
            let dead = members.filter { !LoopbackPort.isListening(Self.port(of: $0)) }
            let ours = startedAddresses.reversed().filter { members.contains($0) && !dead.contains($0) }
            let others = members.reversed().filter { !dead.contains($0) && !ours.contains($0) }
            for address in (dead + ours + others).prefix(members.count - target) {
                members.removeAll { $0 == address }
                if let index = started.firstIndex(where: { $0.address == address }) {
                    kill(started[index].pid, SIGTERM)
                    started.remove(at: index)
                }
            }
        }
        try JSONEncoder().encode(started).write(to: stateFile, options: .atomic)
        let answer = try JSONEncoder().encode(["backends": members])
        return String(decoding: answer, as: UTF8.self)
    }

    static func port(of address: String) -> Int {
        address.split(separator: ":").last.flatMap { Int($0) } ?? 0
    }
}
