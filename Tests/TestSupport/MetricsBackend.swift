import Foundation

/// A backend for daemon tests: a metrics file server exposing `backend_utilization` (which the
/// test changes) and answering its name at `/whoami`, on a free loopback port.
// @unchecked: its only mutation, `set`, replaces a file atomically (write to a temporary file,
// rename), so tests may change the load from a task of their own while the daemon scrapes.
public final class MetricsBackend: @unchecked Sendable {
    public let server: MetricsFileServer
    public var address: String { "127.0.0.1:\(server.port)" }

    public init(_ directory: TemporaryDirectory, _ name: String, utilization: Double = 0.5) async throws {
        server = try await MetricsFileServer(directory: URL(fileURLWithPath: directory.file(name)), port: try PrometheusPeer.freePort())
        try set(utilization)
        try server.serve(name, as: "whoami")
    }

    /// Serves `backend_utilization` at `utilization` from now on.
    public func set(_ utilization: Double) throws {
        try server.serve("# TYPE backend_utilization gauge\nbackend_utilization \(utilization)\n")
    }
}

extension DaemonProcess {
    /// `GET /api/v1/pools/NAME`'s `data`.
    public func pool(_ name: String) async throws -> [String: Any] {
        let (_, body) = try await get("/api/v1/pools/\(name)")
        return (try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["data"] as? [String: Any] ?? [:]
    }

    /// Polls the pool until `condition` holds, or fails after `seconds` with the pool and the log.
    @discardableResult
    public func waitForPool(_ name: String, seconds: Double = 20, until condition: ([String: Any]) -> Bool) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while ContinuousClock.now < deadline {
            let status = try await pool(name)
            if condition(status) { return status }
            try await Task.sleep(for: .milliseconds(50))
        }
        // CI shows a failure's first line only: it names the daemon's last complaints.
        let complaints = log.split(separator: "\n").filter { $0.contains(" warning ") || $0.contains(" error ") }.suffix(3)
        throw PeerError(
            message: "pool \(name) never reached the expected state in \(seconds) s; last complaints: "
                + complaints.map { String($0.prefix(300)) }.joined(separator: " | ")
                + "\n\(try await pool(name))\n\(log.suffix(2000))"
        )
    }
}

/// A pool status's backends by address.
public func backendsByAddress(_ pool: [String: Any]) -> [String: [String: Any]] {
    Dictionary(uniqueKeysWithValues: (pool["backends"] as? [[String: Any]] ?? []).map { ($0["address"] as? String ?? "", $0) })
}
