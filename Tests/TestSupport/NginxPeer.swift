import Foundation

/// A real nginx (Debian's) on free loopback ports, config and state in a temp directory: two
/// backends answering their name (`b1`, `b2`) and a proxy port balancing over the upstream in an
/// included file that the applier under test rewrites.
public final class NginxPeer {
    public static let path = "/usr/sbin/nginx"
    public static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: path) }

    public let directory: TemporaryDirectory
    public let config: String
    public let upstreamFile: String
    public let proxyPort: Int
    public let backendPorts: [Int]
    private let process = Process()

    /// Starts nginx with `upstream` as the upstream file's first content and `extra` added to the
    /// `http` block (a second `upstream web` there makes `nginx -t` refuse the file).
    public init(upstream: (_ backendPorts: [Int]) -> String, extraHTTP: String = "") throws {
        directory = try TemporaryDirectory()
        chmod(directory.path, 0o755)
        backendPorts = [try PrometheusPeer.freePort(), try PrometheusPeer.freePort()]
        proxyPort = try PrometheusPeer.freePort()
        upstreamFile = directory.file("upstream.conf")
        try directory.write("upstream.conf", upstream(backendPorts))
        let dir = directory.path
        config = try directory.write(
            "nginx.conf",
            """
            daemon off;
            worker_processes 1;
            pid \(dir)/nginx.pid;
            error_log \(dir)/error.log notice;
            events { worker_connections 256; }
            http {
                access_log off;
                client_body_temp_path \(dir)/client_temp;
                proxy_temp_path \(dir)/proxy_temp;
                fastcgi_temp_path \(dir)/fastcgi_temp;
                uwsgi_temp_path \(dir)/uwsgi_temp;
                scgi_temp_path \(dir)/scgi_temp;
                server { listen 127.0.0.1:\(backendPorts[0]); return 200 "b1"; }
                server { listen 127.0.0.1:\(backendPorts[1]); return 200 "b2"; }
                include \(upstreamFile);
                server { listen 127.0.0.1:\(proxyPort); location / { proxy_pass http://web; proxy_next_upstream off; } }
                \(extraHTTP)
            }
            """
        )
        process.executableURL = URL(fileURLWithPath: Self.path)
        process.arguments = ["-c", config]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + .seconds(10)
        while HTTPProbe.get(port: backendPorts[0]) == nil {
            guard ContinuousClock.now < deadline, process.isRunning else {
                throw PeerError(message: "nginx did not start:\n\(errorLog)")
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    /// `nginx -t` and `nginx -s reload` for this instance.
    public var testCommand: [String] { [Self.path, "-t", "-q", "-c", config] }
    public var reloadCommand: [String] { [Self.path, "-s", "reload", "-c", config] }

    public var errorLog: String { (try? String(contentsOfFile: directory.file("error.log"), encoding: .utf8)) ?? "" }

    /// Reloads completed so far: with one worker, each reload retires exactly one old worker,
    /// which exits once it stops accepting, so after that every new connection reaches the new
    /// configuration.
    public var reloadsCompleted: Int { errorLog.components(separatedBy: "exited with code").count - 1 }

    /// Waits until `count` reloads have completed.
    public func waitForReloads(_ count: Int) throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while reloadsCompleted < count {
            guard ContinuousClock.now < deadline else { throw PeerError(message: "nginx did not reload:\n\(errorLog)") }
            Thread.sleep(forTimeInterval: 0.005)
        }
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }
}
