import ArgumentParser
import Exposition
import Foundation
import InputFiles

/// `ballast parse-metrics`: parses one exposition and prints its samples as JSON lines, so that
/// what Ballast reads from a backend can be checked (and compared with other parsers) by hand.
/// The whole input is parsed before anything is printed, so invalid input prints no samples.
struct ParseMetricsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse-metrics",
        abstract: "Parse a Prometheus text or OpenMetrics exposition and print one JSON object per sample.",
        discussion: """
            By default it accepts exactly what the Prometheus server ingests (the collector and \
            import read the same way); --strict also enforces the written specs, as a linter. \
            Errors are reported as FILE:LINE:COL: message (COL counts bytes; stdin is named <stdin>) \
            with exit status 1.
            """
    )

    @Flag(name: .long, help: "Parse OpenMetrics 1.0 text instead of the Prometheus text format.")
    var openmetrics = false

    @Flag(name: .long, help: "Parse as OpenMetrics when the input ends with '# EOF', else as text.")
    var auto = false

    @Flag(name: .long, help: "Print only samples=N.")
    var count = false

    @Flag(name: .long, help: "Also enforce the written specs (text format 0.0.4, OpenMetrics 1.0) where Prometheus is lenient.")
    var strict = false

    /// Round 1's opt-in for what is now the default; accepted so existing scripts keep working.
    @Flag(name: .long, help: .hidden)
    var lenient = false

    @Argument(help: "The exposition file, or - for standard input.")
    var file: String

    func validate() throws {
        if strict && lenient { throw ValidationError("--strict and --lenient contradict each other; --lenient is the default") }
    }

    func run() throws {
        let displayName = file == "-" ? "<stdin>" : file
        let input: Data
        do {
            input = Data(try InputFile.bytes(file))
        } catch {
            printError(error.description)
            throw ExitCode(1)
        }
        var format: ExpositionFormat = openmetrics ? .openMetrics : .prometheusText
        if auto && !openmetrics { format = ExpositionFormat(detectingIn: input) }
        var parser = ExpositionParser(format: format, options: strict ? .specification : .prometheus)
        do {
            if count {
                var counter = SampleCounter()
                try input.withUnsafeBytes { try parser.parse($0.bindMemory(to: UInt8.self), into: &counter) }
                print("samples=\(counter.count)")
                return
            }
            var writer = JSONLinesWriter()
            try input.withUnsafeBytes { try parser.parse($0.bindMemory(to: UInt8.self), into: &writer) }
            FileHandle.standardOutput.writeQuietly(Data(writer.output))
        } catch let error as ExpositionError {
            printError(error.described(inFile: displayName))
            throw ExitCode(1)
        }
    }

    private func printError(_ message: String) {
        FileHandle.standardError.writeQuietly(Data((message + "\n").utf8))
    }
}
