/// Writes each sample as one JSON line, `{"name":...,"labels":{...},"value":"...","timestamp_ms":...}`:
/// the output contract of `ballast parse-metrics` (DESIGN.md §3), kept here so it is tested with
/// the parser. Lines accumulate in `output`, so a caller can print nothing when the parse fails.
public struct JSONLinesWriter: ExpositionVisitor {
    /// The JSON lines written so far, each ending with a line feed.
    public private(set) var output: [UInt8] = []

    /// Creates an empty writer.
    public init() {}

    public mutating func visitSample(_ sample: SampleView) throws {
        output.append(contentsOf: #"{"name":"#.utf8)
        appendString(sample.name)
        output.append(contentsOf: #","labels":{"#.utf8)
        for index in 0..<sample.labelCount {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            appendString(sample.labelName(at: index))
            output.append(UInt8(ascii: ":"))
            appendString(sample.labelValue(at: index))
        }
        appendValue(sample.value, timestampMs: sample.timestampMs)
    }

    /// Writes a sample given as strings, in the same form (`ballast scrape` prints stored samples).
    public mutating func write(name: String, labels: [(name: String, value: String)], value: Double, timestampMs: Int64?) {
        output.append(contentsOf: #"{"name":"#.utf8)
        appendString(name)
        output.append(contentsOf: #","labels":{"#.utf8)
        for (index, label) in labels.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            appendString(label.name)
            output.append(UInt8(ascii: ":"))
            appendString(label.value)
        }
        appendValue(value, timestampMs: timestampMs)
    }

    private mutating func appendValue(_ value: Double, timestampMs: Int64?) {
        output.append(contentsOf: #"},"value":""#.utf8)
        output.append(contentsOf: SampleValueFormat.string(for: value).utf8)
        output.append(contentsOf: #"","timestamp_ms":"#.utf8)
        if let timestampMs {
            output.append(contentsOf: String(timestampMs).utf8)
        } else {
            output.append(contentsOf: "null".utf8)
        }
        output.append(contentsOf: "}\n".utf8)
    }

    private mutating func appendString(_ text: String) {
        var text = text
        text.withUTF8 { appendString($0) }
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
