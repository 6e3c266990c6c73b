import ArgumentParser
import Demo
import Durations
import Foundation
import UnixSignals

/// `ballast demo`: the README's first command. Everything runs on loopback and is stopped at
/// the end or on Ctrl-C.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Watch Ballast work: sim backends behind nginx, a day of load, a slow and a dead backend.",
        discussion: """
            Starts four sim backends of unequal capacity, nginx in front of them and `ballast run` \
            with a pool policy, all on loopback, then drives a daily-shaped load through nginx and \
            tells a story: a backend slows and its weight drops; load rises and the pool scales \
            out through its scale hook (which starts new sim backends); a backend dies, is ejected \
            and the standby is promoted; load falls and the pool scales in. The terminal shows \
            the pool live and every decision with its reason; the status page URL is printed. \
            Ctrl-C stops everything early. Needs nginx, or HAProxy where nginx is not installed (Debian's packages).
            """
    )

    @Option(help: "How long the story takes, such as 90s or 5m (at least 40s).")
    var duration = "2m"

    @Option(help: "The proxy in front of the pool: nginx or haproxy (default: nginx if installed, else HAProxy).")
    var proxy: String?

    @Flag(help: "Keep the demo's directory (policy, nginx configuration, logs, store) afterwards.")
    var keep = false

    func validate() throws {
        guard let milliseconds = PrometheusDuration.parse(duration), milliseconds >= 40_000 else {
            throw ValidationError("--duration \(duration): give a duration of at least 40s, such as 90s or 5m")
        }
        if let proxy, !["nginx", "haproxy"].contains(proxy) {
            throw ValidationError("--proxy \(proxy): give nginx or haproxy")
        }
    }

    func run() async throws {
        signal(SIGPIPE, SIG_IGN)
        let milliseconds = PrometheusDuration.parse(duration) ?? 120_000
        let demo = DemoRun(
            duration: .milliseconds(milliseconds),
            ballast: try Self.executablePath(),
            keepDirectory: keep,
            proxyPreference: proxy,
            interactive: isatty(STDOUT_FILENO) == 1,
            // Output nobody reads any more (a closed pipe) stops the demo as Ctrl-C would, so
            // everything it started is still stopped.
            write: { text in
                if !FileHandle.standardOutput.writeQuietly(Data(text.utf8)) { kill(getpid(), SIGTERM) }
            }
        )
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        let story = Task { try await demo.run() }
        let interrupt = Task {
            for await _ in signals {
                story.cancel()
                return
            }
        }
        do {
            _ = try await story.value
        } catch let error as DemoError {
            interrupt.cancel()
            FileHandle.standardError.writeQuietly(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
        interrupt.cancel()
    }

    /// This executable, which the demo runs again as the daemon, the sim backends and the hook.
    static func executablePath() throws -> String {
        guard let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else {
            throw ValidationError("cannot find this executable through /proc/self/exe")
        }
        return path
    }
}

/// The demo pool's scale hook, run by the daemon: reads the scale request on stdin, starts or
/// stops sim backends, prints the members. Not for direct use.
struct DemoScaleHookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-scale-hook",
        abstract: "The demo pool's scale hook (run by the daemon during ballast demo).",
        shouldDisplay: false
    )

    @Option(help: "The demo's directory.")
    var dir: String

    @Option(help: "A new backend's capacity in requests per second.")
    var capacity: Double = 300

    @Option(name: .customLong("latency-ms"), help: "A new backend's mean latency in milliseconds.")
    var latencyMs: Double = 20

    func run() async throws {
        let hook = DemoScaleHook(directory: dir, ballast: try DemoCommand.executablePath(), capacity: capacity, latencyMs: latencyMs)
        do {
            let answer = try await hook.answer(FileHandle.standardInput.readDataToEndOfFile())
            print(answer)
        } catch {
            FileHandle.standardError.writeQuietly(Data("demo-scale-hook: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
