import Exposition
import Foundation
import Testing

/// The writer is the parser's inverse: parse → write → parse gives the same samples and
/// metadata, in both formats, and what it writes is escaped so any name or value survives.
@Suite struct ExpositionWriterTests {
    private static func roundTrip(_ families: [MetricFamily], format: ExpositionFormat) throws -> [MetricFamily] {
        let text = ExpositionWriter(format: format).string(for: families)
        return try ExpositionParser.families(in: Array(text.utf8), format: format)
    }

    @Test(
        "fixtures survive parse, write, parse in their own format",
        .enabled(if: ExpositionFixtures.available, "\(ExpositionFixtures.missingReason)"),
        arguments: ExpositionFixtures.sampleCounts.map(\.file)
    )
    func fixtureRoundTrip(_ file: String) throws {
        let format = ExpositionFixtures.format(of: file)
        let families = try ExpositionParser.families(in: ExpositionFixtures.bytes(file), format: format)
        let text = ExpositionWriter(format: format).string(for: families)
        #expect(try ExpositionParser.families(in: Array(text.utf8), format: format) == families)
    }

    @Test(
        "text fixtures survive a conversion to OpenMetrics with the same samples",
        .enabled(if: ExpositionFixtures.available, "\(ExpositionFixtures.missingReason)")
    )
    func textToOpenMetrics() throws {
        let bytes = try ExpositionFixtures.bytes("alltypes.237mfs.prom.txt")
        let families = try ExpositionParser.families(in: bytes, format: .prometheusText)
        let openMetrics = ExpositionWriter(format: .openMetrics).string(for: families)
        let samples = try ExpositionParser.samples(in: Array(openMetrics.utf8), format: .openMetrics)
        #expect(samples == families.flatMap(\.samples))
    }

    @Test("awkward names, values and help text survive a round trip", arguments: [ExpositionFormat.prometheusText, .openMetrics])
    func awkwardContent(_ format: ExpositionFormat) throws {
        let families = [
            MetricFamily(
                name: "my.metric",
                type: .gauge,
                help: "Help with \\ backslash, \"quotes\" and\nnewline, ünïcode",
                samples: [
                    ParsedSample(
                        name: "my.metric",
                        labels: [
                            .init(name: "label.name", value: "quo\"te \\ back\nline }#,= \u{0} é"),
                            .init(name: "empty", value: ""),
                        ],
                        value: -0.0,
                        timestampMs: 1_726_839_813_016
                    ),
                    ParsedSample(name: "my.metric", labels: [.init(name: "x", value: "1")], value: .nan, timestampMs: -1),
                    ParsedSample(name: "my.metric", labels: [.init(name: "x", value: "2")], value: .leastNonzeroMagnitude),
                    ParsedSample(name: "my.metric", labels: [.init(name: "x", value: "3")], value: -.infinity, timestampMs: 999),
                ]
            ),
            MetricFamily(
                name: "plain_seconds" + (format == .openMetrics ? "" : "_total"),
                type: .counter,
                unit: format == .openMetrics ? "seconds" : nil,
                samples: [ParsedSample(name: "plain_seconds_total", value: 1.7976931348623157e308)]
            ),
        ]
        #expect(try Self.roundTrip(families, format: format) == families)
    }

    @Test("millisecond timestamps survive OpenMetrics float seconds exactly")
    func timestampsAsSeconds() throws {
        let timestamps: [Int64] = [0, 1, -1, 999, 1_726_839_813_016, 1_395_066_363_000, -1_395_066_363_001, 123_456_789_012_345]
        let family = MetricFamily(
            name: "t",
            type: .gauge,
            samples: timestamps.enumerated().map {
                ParsedSample(name: "t", labels: [.init(name: "i", value: "\($0.offset)")], value: 1, timestampMs: $0.element)
            }
        )
        #expect(try Self.roundTrip([family], format: .openMetrics) == [family])
    }

    @Test("the written text is what the formats prescribe")
    func writtenText() {
        let family = MetricFamily(
            name: "http_requests",
            type: .counter,
            help: "Requests.",
            samples: [
                ParsedSample(name: "http_requests_total", labels: [.init(name: "code", value: "200")], value: 1027, timestampMs: 1_395_066_363_000)
            ]
        )
        #expect(
            ExpositionWriter(format: .prometheusText).string(for: [family])
                == "# HELP http_requests_total Requests.\n# TYPE http_requests_total counter\nhttp_requests_total{code=\"200\"} 1027 1395066363000\n"
        )
        #expect(
            ExpositionWriter(format: .openMetrics).string(for: [family])
                == "# HELP http_requests Requests.\n# TYPE http_requests counter\nhttp_requests_total{code=\"200\"} 1027 1395066363\n# EOF\n"
        )
    }

    @Test("OpenMetrics counters become text-format counters named after their _total samples")
    func openMetricsCounterToText() throws {
        let family = MetricFamily(
            name: "c",
            type: .counter,
            help: "Calls.",
            samples: [ParsedSample(name: "c_total", value: 1), ParsedSample(name: "c_created", value: 2)]
        )
        let text = ExpositionWriter(format: .prometheusText).string(for: [family])
        #expect(text == "# HELP c_total Calls.\n# TYPE c_total counter\nc_total 1\n# TYPE c_created untyped\nc_created 2\n")
        #expect(try ExpositionParser.samples(in: Array(text.utf8), format: .prometheusText) == family.samples)
    }

    @Test("text-format counters without _total become unknown families in OpenMetrics")
    func counterWithoutTotalSuffix() throws {
        let family = MetricFamily(name: "c", type: .counter, samples: [ParsedSample(name: "c", value: 1)])
        let text = ExpositionWriter(format: .openMetrics).string(for: [family])
        #expect(text == "# TYPE c unknown\nc 1\n# EOF\n")
        #expect(try ExpositionParser.samples(in: Array(text.utf8), format: .openMetrics) == family.samples)
    }

    @Test("promtool accepts what the writer produces", .enabled(if: Self.promtool != nil, "promtool is not installed"))
    func promtoolAcceptsOutput() throws {
        let family = MetricFamily(
            name: "ballast_requests",
            type: .counter,
            // OpenMetrics naming on purpose: the writer must name the text family ballast_requests_total.
            help: "Requests with a \\ and a\nline.",
            samples: [ParsedSample(name: "ballast_requests_total", labels: [.init(name: "code", value: "2\"00")], value: 3)]
        )
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.promtool!)
        process.arguments = ["check", "metrics"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(ExpositionWriter(format: .prometheusText).string(for: [family]).utf8))
        try input.fileHandleForWriting.close()
        let report = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(report)")
    }

    static let promtool = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first(where: FileManager.default.isExecutableFile(atPath:))
}
