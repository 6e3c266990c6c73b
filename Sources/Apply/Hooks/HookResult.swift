import Policy
import Subprocess

/// How a hook ended and what it printed.
package struct HookResult: Sendable {
    /// The exit status, or the signal that ended it.
    package var status: Status
    /// The first bytes of stdout (``HookRunner/outputLimit``).
    package var stdout: Output
    /// The first bytes of stderr.
    package var stderr: Output
    /// Whether the timeout ended it.
    package var timedOut: Bool
    /// How long it ran.
    package var duration: Duration
    /// How long it was allowed to run.
    package var timeout: Duration

    /// Whether it exited 0 within its time.
    package var succeeded: Bool { !timedOut && status == .exited(0) }

    /// Captured output and whether more was dropped.
    package struct Output: Sendable, Hashable {
        package var bytes: [UInt8] = []
        package var truncated = false

        /// The output as text for logs: invalid UTF-8 replaced, control characters escaped, so
        /// a hook cannot forge log lines.
        package var logText: String {
            var text = ""
            for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
                if scalar == "\n" {
                    text += "\\n"
                } else if scalar.value < 0x20 || scalar.value == 0x7F {
                    text += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    text.unicodeScalars.append(scalar)
                }
            }
            return truncated ? text + "…(truncated)" : text
        }
    }

    /// How the process ended.
    package enum Status: Sendable, Hashable, CustomStringConvertible {
        case exited(Int32)
        case signaled(Int32)

        init(_ status: TerminationStatus) {
            switch status {
            case .exited(let code): self = .exited(code)
            case .signaled(let signal): self = .signaled(signal)
            }
        }

        package var description: String {
            switch self {
            case .exited(let code): "exit status \(code)"
            case .signaled(let signal): "killed by signal \(signal)"
            }
        }
    }

    /// Why the hook counts as failed, for logs, the journal and the status API; `nil` if it succeeded.
    package var failure: String? {
        if timedOut { return "did not finish within its \(timeout.formatted) timeout and was stopped (\(status))" }
        guard status != .exited(0) else { return nil }
        // Only the start of stderr: the reason is journaled and served by the API, and a CLI's
        // error output may go on to print URLs or tokens.
        let text = stderr.logText
        let detail = stderr.bytes.isEmpty ? "" : ": " + (text.count > 512 ? text.prefix(512) + "…" : text)
        return "\(status)\(detail)"
    }
}

/// A hook that could not run at all.
package enum HookError: Error, Sendable, CustomStringConvertible {
    case emptyCommand
    case couldNotStart(program: String, reason: String)
    case cancelled(program: String)

    package var description: String {
        switch self {
        case .emptyCommand: "the hook has no program; give exec a list starting with the program"
        case .cancelled(let program):
            "\(program.quotedForMessage) was stopped because Ballast is shutting down"
        case .couldNotStart(let program, let reason):
            "could not start \(program.quotedForMessage): \(reason); check the path and that it is executable"
        }
    }
}

extension Duration {
    /// Seconds with millisecond precision, for messages.
    var formatted: String {
        let milliseconds = components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000)s" : "\(milliseconds)ms"
    }
}
