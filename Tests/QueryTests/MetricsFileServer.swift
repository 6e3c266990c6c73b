import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A scrape target whose `/metrics` body the test rewrites at will: Python's `http.server`
/// serving a temporary directory on a loopback port.
final class MetricsFileServer {
    static let pythonPath = "/usr/bin/python3"

    /// Whether Python is installed to serve the file.
    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: pythonPath) }

    let port: Int
    private let directory: URL
    private let process = Process()

    /// Serves `directory/metrics`, starting with `body`.
    init(directory: URL, port: Int, body: String) async throws {
        self.directory = directory
        self.port = port
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try serve(body)
        process.executableURL = URL(fileURLWithPath: Self.pythonPath)
        process.arguments = ["-m", "http.server", "\(port)", "--bind", "127.0.0.1", "--directory", directory.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let url = URL(string: "http://127.0.0.1:\(port)/metrics")!
        for _ in 0..<100 {
            if let (_, response) = try? await URLSession.shared.data(from: url), (response as? HTTPURLResponse)?.statusCode == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        stop()
        throw PeerError(message: "python3 -m http.server did not start on port \(port)")
    }

    /// Replaces the body the next scrape sees.
    func serve(_ body: String) throws {
        try body.write(to: directory.appendingPathComponent("metrics"), atomically: true, encoding: .utf8)
    }

    /// Kills the server. SIGKILL, because a test runner may ignore SIGTERM and its children
    /// inherit that, and the server keeps no state worth a graceful exit.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}
