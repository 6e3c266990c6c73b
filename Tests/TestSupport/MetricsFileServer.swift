public import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Scrape targets whose bodies a test writes at will: a small Python HTTP server serving the files
/// of a temporary directory on a loopback port, each with the `Content-Type` a real target sends
/// for its format (`*.om`: OpenMetrics 1.0.0, anything else: the text format 0.0.4), so
/// Prometheus picks the parser it would pick for a real target.
public final class MetricsFileServer {
    public static let pythonPath = "/usr/bin/python3"

    /// Whether Python is installed to serve the files.
    public static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: pythonPath) }

    public let port: Int
    private let directory: URL
    private let process = Process()

    private static let script = """
        import http.server, os, sys
        root = sys.argv[2]
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                path = os.path.join(root, os.path.basename(self.path.split('?')[0]))
                try:
                    with open(path, 'rb') as f: body = f.read()
                except OSError:
                    self.send_error(404); return
                kind = 'application/openmetrics-text; version=1.0.0; charset=utf-8' if path.endswith('.om') \\
                    else 'text/plain; version=0.0.4; charset=utf-8'
                self.send_response(200)
                self.send_header('Content-Type', kind)
                self.send_header('Content-Length', str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            def log_message(self, *args): pass
        http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), Handler).serve_forever()
        """

    /// Serves the files of `directory` as `/NAME`, starting with `/metrics` holding `body`.
    public init(directory: URL, port: Int, body: String = "") async throws {
        self.directory = directory
        self.port = port
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try serve(body)
        process.executableURL = URL(fileURLWithPath: Self.pythonPath)
        process.arguments = ["-c", Self.script, "\(port)", directory.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let url = URL(string: "http://127.0.0.1:\(port)/metrics")!
        for _ in 0..<100 {
            if let (_, response) = try? await URLSession.shared.data(from: url), (response as? HTTPURLResponse)?.statusCode == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        stop()
        throw PeerError(message: "the python3 metrics server did not start on port \(port)")
    }

    /// Replaces the body the next scrape of `/name` sees.
    public func serve(_ body: String, as name: String = "metrics") throws {
        try serve(bytes: Array(body.utf8), as: name)
    }

    /// Replaces the body the next scrape of `/name` sees with bytes that need not be UTF-8.
    public func serve(bytes: [UInt8], as name: String) throws {
        try Data(bytes).write(to: directory.appendingPathComponent(name), options: .atomic)
    }

    /// Kills the server. SIGKILL, because a test runner may ignore SIGTERM and its children
    /// inherit that, and the server keeps no state worth a graceful exit.
    public func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit { stop() }
}
