public import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A real Prometheus over backfilled data, on a free loopback port, for comparing results.
public final class PrometheusPeer {
    public static let prometheusPath = "/usr/bin/prometheus"
    public static let promtoolPath = "/usr/bin/promtool"

    /// Whether both binaries are installed (CI installs Debian's `prometheus` package).
    public static var isInstalled: Bool {
        FileManager.default.isExecutableFile(atPath: prometheusPath) && FileManager.default.isExecutableFile(atPath: promtoolPath)
    }

    public let directory: URL
    public let tsdb: String
    public private(set) var port = 0
    private var process: Process?

    /// A temporary directory for one Prometheus and its data; nothing runs yet.
    public init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ballast-promql-\(UUID().uuidString)")
        tsdb = directory.appendingPathComponent("tsdb").path
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Backfills `openMetrics` with promtool and starts Prometheus over the blocks.
    public static func backfilled(openMetrics: String) async throws -> PrometheusPeer {
        let peer = try PrometheusPeer()
        let input = peer.directory.appendingPathComponent("data.om")
        try openMetrics.write(to: input, atomically: true, encoding: .utf8)
        try run(promtoolPath, ["tsdb", "create-blocks-from", "openmetrics", input.path, peer.tsdb])
        try await peer.start(config: "global:\n  scrape_interval: 15s\n")
        return peer
    }

    /// Starts Prometheus with `config` over this directory's data, on a fresh loopback port.
    public func start(config: String) async throws {
        let file = directory.appendingPathComponent("prometheus.yml")
        try config.write(to: file, atomically: true, encoding: .utf8)
        port = try Self.freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.prometheusPath)
        process.arguments = [
            "--config.file=\(file.path)", "--storage.tsdb.path=\(tsdb)", "--storage.tsdb.retention.time=100y",
            "--web.listen-address=127.0.0.1:\(port)",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: Self.emptyFile(directory.appendingPathComponent("prometheus.log")))
        try process.run()
        self.process = process
        try await waitUntilReady()
    }

    /// Stops Prometheus (SIGTERM, so it flushes its write-ahead log) and waits for it to exit.
    public func halt() {
        guard let process, process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    /// Stops Prometheus and removes its data.
    public func stop() {
        halt()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Every stored sample, as `promtool tsdb dump` prints them (`{labels} value timestamp_ms`).
    public func dump() throws -> String {
        try Self.run(Self.promtoolPath, ["tsdb", "dump", tsdb])
    }

    /// The body of `GET /api/v1/<path>?<parameters>`.
    public func get(_ path: String, _ parameters: [String: String]) async throws -> String {
        var components = URLComponents(string: "http://127.0.0.1:\(port)/api/v1/\(path)")!
        components.queryItems = parameters.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        // `+` in a query string means a space to Prometheus' form parser.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        let (data, _) = try await URLSession.shared.data(from: components.url!)
        return String(decoding: data, as: UTF8.self)
    }

    private func waitUntilReady() async throws {
        let url = URL(string: "http://127.0.0.1:\(port)/-/ready")!
        for _ in 0..<300 {
            if let (_, response) = try? await URLSession.shared.data(from: url), (response as? HTTPURLResponse)?.statusCode == 200 { return }
            guard process?.isRunning == true else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let log = (try? String(contentsOf: directory.appendingPathComponent("prometheus.log"), encoding: .utf8)) ?? ""
        throw PeerError(message: "prometheus did not become ready on port \(port):\n\(log.suffix(2000))")
    }

    private static func emptyFile(_ url: URL) throws -> URL {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        return url
    }

    @discardableResult
    private static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        // promtool logs to stderr; only standard output is the answer.
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PeerError(message: "\(executable) \(arguments.joined(separator: " ")) failed: \(text)")
        }
        return text
    }

    /// A port the kernel just handed out on 127.0.0.1, so parallel tests do not collide.
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw PeerError(message: "no free loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
