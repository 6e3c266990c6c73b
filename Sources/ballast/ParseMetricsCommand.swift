import ArgumentParser
import Exposition
import Foundation

/// `ballast parse-metrics`: parses one exposition and prints its samples as JSON lines, so that
/// what Ballast reads from a backend can be checked (and compared with other parsers) by hand.
/// The whole input is parsed before anything is printed, so invalid input prints no samples.
struct ParseMetricsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse-metrics",
        abstract: "Parse a Prometheus text or OpenMetrics exposition and print one JSON object per sample.",
        discussion: """
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

    @Flag(name: .long, help: "Also accept what Prometheus accepts beyond the written spec.")
    var lenient = false

    @Argument(help: "The exposition file, or - for standard input.")
    var file: String

    func run() throws {
        let displayName = file == "-" ? "<stdin>" : file
        let input: [UInt8]
        do {
            input = try readInput()
        } catch {
            printError("\(displayName): cannot read the file: \(error.localizedDescription)")
            throw ExitCode(1)
        }
        var format: ExpositionFormat = openmetrics ? .openMetrics : .prometheusText
        if auto && !openmetrics { format = ExpositionFormat(detectingIn: input) }
        var parser = ExpositionParser(format: format, options: .init(lenient: lenient))
        do {
            if count {
                var counter = SampleCounter()
                try input.withUnsafeBufferPointer { try parser.parse($0, into: &counter) }
                print("samples=\(counter.count)")
                return
            }
            var writer = JSONLinesWriter()
            try input.withUnsafeBufferPointer { try parser.parse($0, into: &writer) }
            FileHandle.standardOutput.write(Data(writer.output))
        } catch let error as ExpositionError {
            printError(error.described(inFile: displayName))
            throw ExitCode(1)
        }
    }

    private func readInput() throws -> [UInt8] {
        if file == "-" { return [UInt8](FileHandle.standardInput.readDataToEndOfFile()) }
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
    }

    private func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}

/// Counts samples and does nothing else, for `--count` and benchmarks.
private struct SampleCounter: ExpositionVisitor {
    var count = 0

    mutating func visitSample(_ sample: SampleView) throws { count += 1 }
}

/// Writes `{"name":...,"labels":{...},"value":"...","timestamp_ms":...}` lines into one buffer.
private struct JSONLinesWriter: ExpositionVisitor {
    var output: [UInt8] = []

    mutating func visitSample(_ sample: SampleView) throws {
        output.append(contentsOf: #"{"name":"#.utf8)
        appendString(sample.name)
        output.append(contentsOf: #","labels":{"#.utf8)
        for index in 0..<sample.labelCount {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            appendString(sample.labelName(at: index))
            output.append(UInt8(ascii: ":"))
            appendString(sample.labelValue(at: index))
        }
        output.append(contentsOf: #"},"value":""#.utf8)
        output.append(contentsOf: SampleValueFormat.string(for: sample.value).utf8)
        output.append(contentsOf: #"","timestamp_ms":"#.utf8)
        if let timestamp = sample.timestampMs {
            output.append(contentsOf: String(timestamp).utf8)
        } else {
            output.append(contentsOf: "null".utf8)
        }
        output.append(contentsOf: "}\n".utf8)
    }

    /// A JSON string: quotes, backslashes and control characters escaped (NUL as \u0000),
    /// UTF-8 passed through.
    private mutating func appendString(_ bytes: UnsafeBufferPointer<UInt8>) {
        output.append(UInt8(ascii: "\""))
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): output.append(contentsOf: #"\\"#.utf8)
            case UInt8(ascii: "\n"): output.append(contentsOf: #"\n"#.utf8)
            case UInt8(ascii: "\r"): output.append(contentsOf: #"\r"#.utf8)
            case UInt8(ascii: "\t"): output.append(contentsOf: #"\t"#.utf8)
            case 0..<0x20, 0x7F:
                let hex = Array("0123456789abcdef".utf8)
                output.append(contentsOf: #"\u00"#.utf8)
                output.append(hex[Int(byte >> 4)])
                output.append(hex[Int(byte & 0xF)])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
