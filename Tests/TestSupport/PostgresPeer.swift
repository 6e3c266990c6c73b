public import Foundation

/// A real PostgreSQL 15 from Debian's packages for the HA tests: a fresh cluster in a temporary
/// directory, on a free loopback port, trusting local connections. `initdb` and `pg_ctl` refuse
/// root, so as root they run as the `postgres` user (`runuser`), in a directory it owns.
public final class PostgresPeer: Sendable {
    /// Debian's server binaries (`postgresql-15`).
    public static let binDirectory = "/usr/lib/postgresql/15/bin"

    public static var isInstalled: Bool {
        FileManager.default.isExecutableFile(atPath: binDirectory + "/initdb")
            && FileManager.default.isExecutableFile(atPath: binDirectory + "/pg_ctl")
    }

    public let port: Int
    public let directory: String
    private var data: String { directory + "/data" }

    /// `postgres://postgres@127.0.0.1:PORT/postgres?sslmode=disable`.
    public var dsn: String { "postgres://postgres@127.0.0.1:\(port)/postgres?sslmode=disable" }

    public init() throws {
        port = try PrometheusPeer.freePort()
        directory = "/tmp/ballast-pg-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if geteuid() == 0 {
            try Self.run("/bin/chown", ["postgres:postgres", directory])
        }
        try Self.postgres("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"])
        try Self.postgres(
            "pg_ctl",
            [
                "-D", data, "-l", directory + "/server.log", "-w", "-t", "30", "-o",
                "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1 -c fsync=off", "start",
            ]
        )
    }

    /// Runs SQL as `postgres` through Debian's `psql`, stopping at the first error.
    public func execute(_ sql: String) throws {
        try Self.run(
            Self.binDirectory + "/psql",
            ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", "\(port)", "-U", "postgres", "-c", sql]
        )
    }

    /// Stops the server at once and removes its files.
    public func stop() {
        try? Self.postgres("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// What the server logged.
    public var log: String { (try? String(contentsOfFile: directory + "/server.log", encoding: .utf8)) ?? "" }

    /// Runs a server program, as `postgres` when this process is root.
    private static func postgres(_ program: String, _ arguments: [String]) throws {
        if geteuid() == 0 {
            try run("/usr/sbin/runuser", ["-u", "postgres", "--", binDirectory + "/" + program] + arguments)
        } else {
            try run(binDirectory + "/" + program, arguments)
        }
    }

    /// Runs a program to its exit, with `posix_spawn` and `waitpid`: `pg_ctl start` leaves the
    /// server running with the descriptors it inherited, and Foundation's `Process` then never
    /// sees the program end. Its output goes to a file, read on failure.
    private static func run(_ executable: String, _ arguments: [String]) throws {
        let output = "/tmp/ballast-pg-output-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var pid: pid_t = 0
        let started = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard started == 0 else { throw PeerError(message: "cannot start \(executable): \(String(cString: strerror(started)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        // Exited normally with status 0 (`WIFEXITED && WEXITSTATUS == 0`).
        guard status & 0xFFFF == 0 else {
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            throw PeerError(message: "\(executable) \(arguments.joined(separator: " ")) failed (\(status)):\n\(text.suffix(2000))")
        }
    }
}

/// A TCP relay on a free loopback port to another port, to cut a daemon off from PostgreSQL:
/// `freeze()` stops it (SIGSTOP), so connections stay open and carry nothing, as a partition
/// does; `thaw()` resumes it.
public final class TCPRelay {
    public let port: Int
    private let process = Process()

    private static let script = """
        import socket, sys, threading
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(('127.0.0.1', int(sys.argv[1])))
        listener.listen(64)
        def pump(a, b):
            try:
                while True:
                    data = a.recv(65536)
                    if not data: break
                    b.sendall(data)
            except OSError: pass
            for s in (a, b):
                try: s.close()
                except OSError: pass
        while True:
            client, _ = listener.accept()
            upstream = socket.create_connection(('127.0.0.1', int(sys.argv[2])))
            threading.Thread(target=pump, args=(client, upstream), daemon=True).start()
            threading.Thread(target=pump, args=(upstream, client), daemon=True).start()
        """

    public init(to target: Int) async throws {
        port = try PrometheusPeer.freePort()
        process.executableURL = URL(fileURLWithPath: MetricsFileServer.pythonPath)
        process.arguments = ["-c", Self.script, "\(port)", "\(target)"]
        try process.run()
        for _ in 0..<100 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            close(fd)
            if connected == 0 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw PeerError(message: "the TCP relay did not start on port \(port)")
    }

    public func freeze() { kill(process.processIdentifier, SIGSTOP) }
    public func thaw() { kill(process.processIdentifier, SIGCONT) }

    /// Kills the relay. SIGKILL, because a test runner may ignore SIGTERM and its children
    /// inherit that.
    public func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
