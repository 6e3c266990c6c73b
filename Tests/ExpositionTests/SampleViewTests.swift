import Exposition
import Testing

/// The low-level visitor API: views carry the family, type and metadata that consumers such as
/// the store and the collector need without copying.
@Suite struct SampleViewTests {
    private struct Recorder: ExpositionVisitor {
        var events: [String] = []

        mutating func visitSample(_ sample: SampleView) throws {
            let family = String(decoding: sample.familyName, as: UTF8.self)
            events.append(
                "sample \(sample.nameString) family=\(family) type=\(sample.type.rawValue) labels=\(sample.labelCount) line=\(sample.lineNumber)"
            )
        }

        mutating func visitMetadata(_ metadata: MetadataView) throws {
            let name = String(decoding: metadata.name, as: UTF8.self)
            let text = String(decoding: metadata.text, as: UTF8.self)
            events.append("meta \(metadata.kind) \(name) \(text) \(metadata.type?.rawValue ?? "-")")
        }
    }

    @Test("samples know their family and type; metadata arrives in order")
    func familiesAndMetadata() throws {
        let input = Array(
            """
            # HELP h Latency\\nin seconds.
            # TYPE h histogram
            h_bucket{le="+Inf",a="1"} 1
            h_sum{a="1"} 2
            h_count{a="1"} 1
            other 1

            """.utf8
        )
        var parser = ExpositionParser(format: .prometheusText)
        var recorder = Recorder()
        try input.withUnsafeBufferPointer { try parser.parse($0, into: &recorder) }
        #expect(
            recorder.events == [
                "meta help h Latency\nin seconds. -",
                "meta type h  histogram",
                "sample h_bucket family=h type=histogram labels=2 line=3",
                "sample h_sum family=h type=histogram labels=1 line=4",
                "sample h_count family=h type=histogram labels=1 line=5",
                "sample other family=other type=unknown labels=0 line=6",
            ]
        )
        #expect(parser.sampleCount == 4)
    }

    @Test("long escaped names and HELP text stay intact when the scratch buffer grows", arguments: [ExpositionFormat.prometheusText, .openMetrics])
    func growingScratch(_ format: ExpositionFormat) throws {
        let help = String(repeating: #"a\\b\n"#, count: 3000)
        let name = "\"my\\\\metric.\(String(repeating: "x", count: 5000))\""
        var text = "# HELP \(name) \(help)\n{\(name),\"l\\\\\"=\"\(String(repeating: "v\\\\", count: 3000))\"} 1\n"
        if format == .openMetrics { text += "# EOF\n" }
        let families = try ExpositionParser.families(in: Array(text.utf8), format: format)
        let expectedName = "my\\metric." + String(repeating: "x", count: 5000)
        #expect(families.map(\.name) == [expectedName])
        #expect(families.first?.help == String(repeating: "a\\b\n", count: 3000))
        #expect(families.first?.samples.first?.labels == [.init(name: "l\\", value: String(repeating: "v\\", count: 3000))])
    }

    @Test("a visitor's error stops the parse")
    func visitorErrorStops() {
        struct Stop: Error {}
        struct Stopper: ExpositionVisitor {
            var seen = 0
            mutating func visitSample(_ sample: SampleView) throws {
                seen += 1
                if seen == 2 { throw Stop() }
            }
        }
        var parser = ExpositionParser(format: .prometheusText)
        var stopper = Stopper()
        #expect(throws: Stop.self) {
            try Array("a 1\nb 2\nc 3\n".utf8).withUnsafeBufferPointer { try parser.parse($0, into: &stopper) }
        }
        #expect(stopper.seen == 2)
    }

    @Test("JSON lines escape control characters and keep UTF-8")
    func jsonEscaping() throws {
        let input = Array("x{a=\"q\\\"b\\\\n\\n".utf8) + [0x00, 0x01, 0x09, 0x0D, 0x7F] + Array("é\"} 1\n".utf8)
        var parser = ExpositionParser(format: .prometheusText)
        var writer = JSONLinesWriter()
        try input.withUnsafeBufferPointer { try parser.parse($0, into: &writer) }
        #expect(
            String(decoding: writer.output, as: UTF8.self)
                == #"{"name":"x","labels":{"a":"q\"b\\n\n\u0000\u0001\t\r\u007fé"},"value":"1","timestamp_ms":null}"# + "\n"
        )
    }
}
