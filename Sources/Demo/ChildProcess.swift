package import Foundation

/// A process the demo starts (a sim backend, nginx, the daemon) with its output in a log file.
/// `posix_spawn` directly rather than `Foundation.Process`: a scale hook's backends must outlive
/// the hook (a new session, no pipe back to it), and every child must start with default signal
/// dispositions, though the demo itself traps SIGINT and SIGTERM.
package struct ChildProcess: Sendable {
    package let pid: pid_t
    package let name: String

    /// Starts `argv` (the program is looked up on PATH) with stdin from /dev/null and stdout and
    /// stderr appended to `log`; `newSession` detaches it from the caller's session and process
    /// group.
    package static func spawn(_ argv: [String], name: String, log: String, newSession: Bool = false) throws -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else is inherited: a hook's pipes and locks would otherwise stay open in the
        // backend it starts, and the daemon would wait for the hook's output forever.
        // (`addclosefrom_np` is not imported into Swift; glibc ignores closing one already closed.)
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for descriptor in open.compactMap({ Int32($0) }) where descriptor > 2 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGQUIT, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var unmasked = sigset_t()
        sigemptyset(&unmasked)
        posix_spawnattr_setsigmask(&attributes, &unmasked)
        // POSIX_SPAWN_SETSID (glibc 2.26) is not imported into Swift; its value is 0x80.
        let setsid: Int32 = 0x80
        let flags = Int32(POSIX_SPAWN_SETSIGDEF) | Int32(POSIX_SPAWN_SETSIGMASK) | (newSession ? setsid : 0)
        posix_spawnattr_setflags(&attributes, Int16(flags))
        let arguments = argv.map { strdup($0) } + [nil]
        defer { for argument in arguments { free(argument) } }
        var pid: pid_t = 0
        let status = posix_spawnp(&pid, argv[0], &actions, &attributes, arguments, environ)
        guard status == 0 else { throw DemoError("could not start \(argv[0]): \(String(cString: strerror(status)))") }
        return ChildProcess(pid: pid, name: name)
    }

    /// Whether the process is still running (reaping it if it has exited).
    package var isRunning: Bool {
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == 0 { return true }
        if result == -1 && errno == ECHILD { return kill(pid, 0) == 0 }
        return false
    }

    /// Sends `signal`.
    package func send(_ signal: Int32) {
        kill(pid, signal)
    }

    /// SIGTERM, then SIGKILL if it has not exited after `grace`.
    package func stop(grace: Duration = .seconds(5)) async {
        guard isRunning else { return }
        send(SIGTERM)
        let deadline = ContinuousClock.now + grace
        while isRunning {
            if ContinuousClock.now >= deadline {
                send(SIGKILL)
                var status: Int32 = 0
                waitpid(pid, &status, 0)
                return
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}

/// Why the demo cannot go on, said so the user knows what to do.
package struct DemoError: Error, CustomStringConvertible {
    package var description: String

    package init(_ description: String) {
        self.description = description
    }
}
