import Glibc
import Subprocess
import SystemPackage

/// Runs an external command the way every hook is run: an argument vector (never a shell string
/// built from data), a JSON document on stdin, a timeout after which the command's whole process
/// group gets SIGTERM and, after a grace period, SIGKILL, and stdout/stderr captured up to a limit
/// (the rest is read and dropped, so a chatty hook can neither block nor exhaust memory).
package struct HookRunner: Sendable {
    /// The most bytes kept of each of stdout and stderr.
    package var outputLimit: Int
    /// How long a command has between SIGTERM and SIGKILL.
    package var gracePeriod: Duration

    package init(outputLimit: Int = 64 * 1024, gracePeriod: Duration = .seconds(2)) {
        self.outputLimit = outputLimit
        self.gracePeriod = gracePeriod
        Self.ignoreBrokenPipes
    }

    /// A hook that exits without reading all of stdin turns the next write into SIGPIPE, whose
    /// default action kills the whole process; Linux has no per-write flag for pipes, so the
    /// signal is ignored process-wide once (the write then fails with EPIPE, which is ignored).
    private static let ignoreBrokenPipes: Void = {
        signal(SIGPIPE, SIG_IGN)
    }()

    /// Runs `argv` with `input` on stdin; a relative program path (`./hooks/scale.sh`) is resolved
    /// against `directory` (the policy file's), a bare name through `PATH`. Returns how it ended;
    /// throws only when it could not start.
    package func run(_ argv: [String], input: [UInt8], timeout: Duration, directory: String? = nil) async throws(HookError) -> HookResult {
        guard let program = argv.first, !program.isEmpty else { throw HookError.emptyCommand }
        let executable: Executable
        if program.contains("/") {
            executable = .path(FilePath(Appliers.resolve(program, against: directory)))
        } else {
            executable = .name(program)
        }
        var options = PlatformOptions()
        // Its own session and process group, so the timeout reaches what the hook started too.
        options.createSession = true
        let started = ContinuousClock.now
        let limit = outputLimit
        let grace = gracePeriod
        do {
            let result = try await Subprocess.run(
                executable,
                arguments: Arguments(Array(argv.dropFirst())),
                environment: .inherit,
                workingDirectory: directory.map { FilePath($0) },
                platformOptions: options,
                input: .inputWriter,
                output: .sequence,
                error: .sequence
            ) { execution in
                try await withThrowingTaskGroup(of: Captured.self) { group in
                    group.addTask {
                        // A hook that exits without reading stdin closes the pipe: not a failure.
                        _ = try? await execution.standardInputWriter.write(input)
                        try? await execution.standardInputWriter.finish()
                        return .none
                    }
                    group.addTask { .stdout(try await Self.read(execution.standardOutput, limit: limit)) }
                    group.addTask { .stderr(try await Self.read(execution.standardError, limit: limit)) }
                    group.addTask {
                        try await Task.sleep(for: timeout)
                        await execution.teardown(using: [.gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: grace)])
                        return .timedOut
                    }
                    var captured = HookResult(
                        status: .exited(0),
                        stdout: Captured.Output(),
                        stderr: Captured.Output(),
                        timedOut: false,
                        duration: .zero,
                        timeout: timeout
                    )
                    var pending = 3
                    while pending > 0, let next = try await group.next() {
                        switch next {
                        case .none: pending -= 1
                        case .stdout(let output):
                            captured.stdout = output
                            pending -= 1
                        case .stderr(let output):
                            captured.stderr = output
                            pending -= 1
                        case .timedOut:
                            captured.timedOut = true
                            // Its process group is gone; a descendant that left the group may
                            // still hold a pipe open: give the pipes a second, then stop reading.
                            group.addTask {
                                try? await Task.sleep(for: .seconds(1))
                                return .abandoned
                            }
                        case .abandoned: pending = 0
                        case .exited: break
                        }
                    }
                    // Both pipes are closed, which a process may do and keep running: wait for
                    // it to exit, still under the timer, then stop the timer.
                    if !captured.timedOut {
                        group.addTask {
                            await Self.waitForExit(execution.processIdentifier.value)
                            return .exited
                        }
                        while let next = try await group.next() {
                            if case .timedOut = next { captured.timedOut = true }
                            if case .exited = next { break }
                            if captured.timedOut { break }
                        }
                    }
                    group.cancelAll()
                    while let next = try? await group.next() {
                        if case .timedOut = next { captured.timedOut = true }
                    }
                    return captured
                }
            }
            var outcome = result.closureResult
            outcome.status = HookResult.Status(result.terminationStatus)
            outcome.duration = ContinuousClock.now - started
            return outcome
        } catch is CancellationError {
            throw HookError.cancelled(program: program)
        } catch {
            throw HookError.couldNotStart(program: program, reason: "\(error)")
        }
    }

    /// Reads a stream to its end, keeping the first `limit` bytes.
    private static func read(_ sequence: SubprocessOutputSequence, limit: Int) async throws -> Captured.Output {
        var output = Captured.Output()
        for try await buffer in sequence {
            let room = limit - output.bytes.count
            buffer.withUnsafeBytes { raw in
                if room > 0 { output.bytes.append(contentsOf: raw.prefix(room)) }
                if raw.count > room { output.truncated = true }
            }
        }
        return output
    }

    private enum Captured: Sendable {
        typealias Output = HookResult.Output
        case none
        case stdout(Output)
        case stderr(Output)
        case timedOut
        case exited
        case abandoned
    }

    /// Returns once `pid` has exited (without reaping it: Subprocess collects its status), or
    /// when cancelled. Polls every 5 ms; a normal hook has exited by the first look.
    private static func waitForExit(_ pid: pid_t) async {
        while !Task.isCancelled {
            var info = siginfo_t()
            let status = waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT)
            // Already collected (ECHILD), or a child state to report: it has exited.
            if status != 0 || info.si_signo == SIGCHLD { return }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }
}
