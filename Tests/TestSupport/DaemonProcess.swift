import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A `ballast run` process on a free loopback port, started as an operator would start it, for
/// tests of the daemon's contracts: HTTP endpoints, signals, exit status, the store it leaves.
public final class DaemonProcess {
    public let port: Int
    public let logPath: String
    private let process = Process()

    /// Starts `ballast run --listen 127.0.0.1:PORT ARGUMENTS...` in `directory` and waits until
    /// `/-/ready` answers 200 (or the process exits, which throws with its log). With
    /// `softDescriptorLimit`, it starts under that soft open-file limit (`ulimit -Sn`).
    public convenience init(_ arguments: [String], in directory: String, softDescriptorLimit: Int? = nil) async throws {
        // A free port can be taken by a parallel test between choosing it and binding it: then
        // the daemon exits with EADDRINUSE and starts again on another port.
        for attempt in 1...3 {
            do {
                try await self.init(arguments, in: directory, softDescriptorLimit: softDescriptorLimit, port: try PrometheusPeer.freePort())
                return
            } catch let error as PeerError where attempt < 3 && error.message.contains("Address already in use") {
                continue
            }
        }
        throw PeerError(message: "ballast run found no free port")
    }

    private init(_ arguments: [String], in directory: String, softDescriptorLimit: Int?, port: Int) async throws {
        guard let binary = BallastExecutable.path else { throw PeerError(message: BallastExecutable.missingReason) }
        self.port = port
        logPath = directory + "/daemon-\(port).log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let command = ["run", "--listen", "127.0.0.1:\(port)"] + arguments
        if let softDescriptorLimit {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit -Sn \(softDescriptorLimit) && exec \"$0\" \"$@\"", binary] + command
        } else {
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = command
        }
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        try process.run()
        for _ in 0..<300 {
            if let (status, _) = try? await get("/-/ready"), status == 200 { return }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let log = self.log
        stop()
        throw PeerError(message: "ballast run did not become ready:\n\(log.suffix(3000))")
    }

    /// What the daemon logged so far.
    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// `GET path`: the status and body.
    public func get(_ path: String) async throws -> (Int, String) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    /// `POST path` with a form body.
    public func post(_ path: String, form: String) async throws -> (Int, String) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(form.utf8)
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    /// Sends `signal` (SIGHUP to reload).
    public func send(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// SIGTERM, then waits up to `limit`; returns the exit status and how long the exit took, or
    /// nil if it did not exit in time (it is killed then).
    public func terminate(within limit: Duration = .seconds(15)) async -> (status: Int32, took: Duration)? {
        let start = ContinuousClock.now
        send(SIGTERM)
        while process.isRunning && ContinuousClock.now - start < limit {
            try? await Task.sleep(for: .milliseconds(20))
        }
        guard !process.isRunning else {
            stop()
            return nil
        }
        process.waitUntilExit()
        return (process.terminationStatus, ContinuousClock.now - start)
    }

    /// Kills the daemon at once (SIGKILL), as a crash would.
    public func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit { stop() }
}
