import Foundation

/// A real HAProxy (Debian's 2.6) on free loopback ports with the Runtime API on a unix socket in a
/// temp directory: three backends answering their name (`b1`, `b2`, `b3`, served by HAProxy
/// itself) and a proxy port balancing over backend `web` (servers `s1`, `s2`; `b3` is for adding).
public final class HAProxyPeer {
    public static let path = "/usr/sbin/haproxy"
    public static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: path) }

    public let directory: TemporaryDirectory
    public let socket: String
    public let config: String
    public let proxyPort: Int
    public let backendPorts: [Int]
    private let process = Process()

    public init() throws {
        directory = try TemporaryDirectory()
        socket = directory.file("admin.sock")
        backendPorts = [try PrometheusPeer.freePort(), try PrometheusPeer.freePort(), try PrometheusPeer.freePort()]
        proxyPort = try PrometheusPeer.freePort()
        config = try directory.write(
            "haproxy.cfg",
            """
            global
                stats socket \(socket) mode 600 level admin
                maxconn 200
            defaults
                mode http
                timeout connect 1s
                timeout client 5s
                timeout server 5s
            frontend b1
                bind 127.0.0.1:\(backendPorts[0])
                http-request return status 200 content-type text/plain string b1
            frontend b2
                bind 127.0.0.1:\(backendPorts[1])
                http-request return status 200 content-type text/plain string b2
            frontend b3
                bind 127.0.0.1:\(backendPorts[2])
                http-request return status 200 content-type text/plain string b3
            frontend main
                bind 127.0.0.1:\(proxyPort)
                default_backend web
            backend web
                balance roundrobin
                server s1 127.0.0.1:\(backendPorts[0]) weight 1
                server s2 127.0.0.1:\(backendPorts[1]) weight 1

            """
        )
        process.executableURL = URL(fileURLWithPath: Self.path)
        process.arguments = ["-db", "-f", config]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + .seconds(10)
        while !FileManager.default.fileExists(atPath: socket) || HTTPProbe.get(port: proxyPort) == nil {
            guard ContinuousClock.now < deadline, process.isRunning else { throw PeerError(message: "haproxy did not start") }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }
}
