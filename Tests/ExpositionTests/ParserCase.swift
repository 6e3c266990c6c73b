import Exposition
import Testing

/// One table row: an input, the format it is parsed as, and either the JSON lines
/// `ballast parse-metrics` prints for it or where and why it must be rejected. The spec tables
/// parse with `.specification` (what `--strict` enforces) unless a test names other options.
struct ParserCase: CustomTestStringConvertible, Sendable {
    let name: String
    let input: [UInt8]
    let format: ExpositionFormat
    /// Expected JSON lines for valid input.
    let jsonLines: [String]
    /// For invalid input: the expected "LINE:COL" and a fragment of the message.
    let position: String?
    let messageFragment: String?

    var testDescription: String { name }

    static func valid(_ name: String, _ input: String, _ jsonLines: [String], format: ExpositionFormat = .prometheusText) -> ParserCase {
        ParserCase(name: name, input: Array(input.utf8), format: format, jsonLines: jsonLines, position: nil, messageFragment: nil)
    }

    static func validBytes(_ name: String, _ input: [UInt8], _ jsonLines: [String], format: ExpositionFormat = .prometheusText) -> ParserCase {
        ParserCase(name: name, input: input, format: format, jsonLines: jsonLines, position: nil, messageFragment: nil)
    }

    static func invalid(
        _ name: String,
        _ input: String,
        format: ExpositionFormat = .prometheusText,
        at position: String,
        _ fragment: String
    )
        -> ParserCase
    {
        ParserCase(name: name, input: Array(input.utf8), format: format, jsonLines: [], position: position, messageFragment: fragment)
    }

    static func invalidBytes(
        _ name: String,
        _ input: [UInt8],
        format: ExpositionFormat = .prometheusText,
        at position: String,
        _ fragment: String
    )
        -> ParserCase
    {
        ParserCase(name: name, input: input, format: format, jsonLines: [], position: position, messageFragment: fragment)
    }

    /// Parses the input whole and returns the JSON lines.
    func jsonOutput(options: ExpositionParser.Options = .specification) throws -> [String] {
        var parser = ExpositionParser(format: format, options: options)
        var writer = JSONLinesWriter()
        try input.withUnsafeBufferPointer { try parser.parse($0, into: &writer) }
        return String(decoding: writer.output, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}

extension ParserCase {
    /// Checks a valid case: the JSON lines match.
    func expectValid(options: ExpositionParser.Options = .specification, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(try jsonOutput(options: options) == jsonLines, sourceLocation: sourceLocation)
    }

    /// Checks an invalid case: rejected at the expected line and column, for the expected reason.
    func expectRejected(options: ExpositionParser.Options = .specification, sourceLocation: SourceLocation = #_sourceLocation) {
        let error = #expect(throws: ExpositionError.self, sourceLocation: sourceLocation) { try jsonOutput(options: options) }
        let described = error.map(String.init(describing:)) ?? ""
        #expect(error.map { "\($0.line):\($0.column)" } == position, "\(described)", sourceLocation: sourceLocation)
        #expect(error?.message.contains(messageFragment ?? "") == true, "\(described)", sourceLocation: sourceLocation)
    }
}

/// A sample line as `parse-metrics` prints it, for compact expectations.
func json(_ name: String, _ labels: [(String, String)], _ value: String, _ timestamp: Int64? = nil) -> String {
    let labelText = labels.map { "\"\($0.0)\":\"\($0.1)\"" }.joined(separator: ",")
    let timestampText = timestamp.map(String.init) ?? "null"
    return #"{"name":"\#(name)","labels":{\#(labelText)},"value":"\#(value)","timestamp_ms":\#(timestampText)}"#
}

/// A sample line without labels.
func plain(_ name: String, _ value: String, _ timestamp: Int64? = nil) -> String {
    json(name, [], value, timestamp)
}
