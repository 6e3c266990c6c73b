import ArgumentParser
import Foundation

/// The `ballast` command: a thin front end over the library targets. Each subcommand lives in
/// its own file. The exit status contract (DESIGN.md §3) is 0 on success, 1 on invalid input
/// and 2 on usage errors; ArgumentParser's own usage status (64) is mapped to 2 here.
@main
struct Ballast: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ballast",
        abstract: "Metrics-driven autoscaling and traffic manager for nginx and HAProxy pools.",
        subcommands: [
            ApplyCommand.self, CheckCommand.self, ExportCommand.self, ImportCommand.self, ParseMetricsCommand.self, QueryCommand.self,
            ReplayCommand.self, RunCommand.self, ScrapeCommand.self, TuneCommand.self, StatusCommand.self, FailoverCommand.self, FailbackCommand.self,
            DrainCommand.self, UndrainCommand.self, SimBackendCommand.self, DemoCommand.self, DemoScaleHookCommand.self,
        ]
    )

    static func main() async {
        // `ballast` alone is a usage error: print the help and exit 2, as for any other.
        if CommandLine.arguments.count == 1 {
            FileHandle.standardError.writeQuietly(Data((helpMessage() + "\n").utf8))
            Foundation.exit(2)
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withContractStatus: error)
        }
    }

    /// Prints the error the way ArgumentParser would and exits with the status the contract names.
    private static func exit(withContractStatus error: any Error) -> Never {
        let code = exitCode(for: error)
        let message = fullMessage(for: error)
        if code == .success {
            if !message.isEmpty { print(message) }
            Foundation.exit(0)
        }
        if !message.isEmpty {
            FileHandle.standardError.writeQuietly(Data((message + "\n").utf8))
        }
        Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
    }
}
