import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A real Prometheus over backfilled data, on a free loopback port, for comparing results.
final class PrometheusPeer {
    static let prometheusPath = "/usr/bin/prometheus"
    static let promtoolPath = "/usr/bin/promtool"

    /// Whether both binaries are installed (CI installs Debian's `prometheus` package).
    static var isInstalled: Bool {
        FileManager.default.isExecutableFile(atPath: prometheusPath) && FileManager.default.isExecutableFile(atPath: promtoolPath)
    }

    let directory: URL
    let port: Int
    private let process: Process

    /// Backfills `openMetrics` with promtool into a temporary directory and starts Prometheus over it.
    init(openMetrics: String) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ballast-promql-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let input = directory.appendingPathComponent("data.om")
        try openMetrics.write(to: input, atomically: true, encoding: .utf8)
        let config = directory.appendingPathComponent("prometheus.yml")
        try "global:\n  scrape_interval: 15s\n".write(to: config, atomically: true, encoding: .utf8)
        let tsdb = directory.appendingPathComponent("tsdb").path
        try Self.run(Self.promtoolPath, ["tsdb", "create-blocks-from", "openmetrics", input.path, tsdb])

        port = try Self.freePort()
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.prometheusPath)
        process.arguments = [
            "--config.file=\(config.path)", "--storage.tsdb.path=\(tsdb)", "--storage.tsdb.retention.time=100y",
            "--web.listen-address=127.0.0.1:\(port)",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: Self.emptyFile(directory.appendingPathComponent("prometheus.log")))
        try process.run()
        try await waitUntilReady()
    }

    /// Stops Prometheus and removes its data.
    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// The body of `GET /api/v1/<path>?<parameters>`.
    func get(_ path: String, _ parameters: [String: String]) async throws -> String {
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
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let log = (try? String(contentsOf: directory.appendingPathComponent("prometheus.log"), encoding: .utf8)) ?? ""
        throw PeerError(message: "prometheus did not become ready on port \(port):\n\(log.suffix(2000))")
    }

    private static func emptyFile(_ url: URL) throws -> URL {
        FileManager.default.createFile(atPath: url.path, contents: nil)
        return url
    }

    private static func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PeerError(message: "\(executable) \(arguments.joined(separator: " ")) failed: \(text)")
        }
    }

    /// A port the kernel just handed out on 127.0.0.1, so parallel tests do not collide.
    private static func freePort() throws -> Int {
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

struct PeerError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
