import Foundation
import TestSupport

/// Runs the `ballast` executable built beside the test bundle, as a user would, so the exit
/// status and output contracts of DESIGN.md §3 are tested end to end.
struct BallastProcess {
    /// What one run printed and how it ended.
    struct Outcome {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    /// The executable, or nil when it has not been built.
    static let binary = BallastExecutable.path

    /// Runs `ballast arguments...` with `input` on standard input and waits for it to end.
    static func run(_ arguments: [String], input: String = "", in directory: String? = nil) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary!)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        // Drain both pipes concurrently so a large output cannot fill one and stall the child.
        let errorData = ErrorCollector(stderr.fileHandleForReading)
        let outputData = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus,
            standardOutput: String(decoding: outputData, as: UTF8.self),
            standardError: String(decoding: errorData.wait(), as: UTF8.self)
        )
    }

    /// The same, waited for on a thread of its own: a long run (a replay over a real Prometheus)
    /// must not hold one of the machine's few cooperative threads, which other tests' tasks need.
    static func run(_ arguments: [String], input: String = "", in directory: String? = nil) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try run(arguments, input: input, in: directory) })
            }
        }
    }
}

/// Reads a pipe to its end on a background thread.
private final class ErrorCollector: @unchecked Sendable {
    // Safe: `data` is written once by the reader thread before `done` is signalled and read only after waiting on it.
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
