import Exposition
import Testing

/// Feeding the input in pieces gives exactly what parsing it whole gives, wherever the pieces
/// end: the property `ballast import` and the collector rely on to stream large bodies.
@Suite struct StreamingParserTests {
    private static func parse(_ input: [UInt8], format: ExpositionFormat, chunkSizes: [Int]) -> Result<[ParsedSample], ExpositionError> {
        var parser = ExpositionParser(format: format)
        var collector = SampleCollector()
        do {
            try input.withUnsafeBufferPointer { buffer in
                var offset = 0
                var index = 0
                while offset < buffer.count {
                    let size = min(chunkSizes[index % chunkSizes.count], buffer.count - offset)
                    try parser.consume(UnsafeBufferPointer(rebasing: buffer[offset..<(offset + size)]), into: &collector)
                    offset += size
                    index += 1
                }
            }
            try parser.finish(into: &collector)
            return .success(collector.samples)
        } catch let error as ExpositionError {
            return .failure(error)
        } catch {
            Issue.record("unexpected error \(error)")
            return .success([])
        }
    }

    static let inputs: [(String, ExpositionFormat)] = [
        ("# HELP a x\n# TYPE a counter\na{b=\"c\\\"d\"} 1 2\n\n  x{\"q.name\"} 3\n", .prometheusText),
        ("# TYPE c counter\nc_total 1 1.5 # {t=\"x\"} 2\nc_created 3\n# EOF", .openMetrics),
        ("a 1\nb{x=\"\\t\"} 2\n", .prometheusText),
        ("a 1\n# EOF\nb 2\n", .openMetrics),
        ("a 1", .prometheusText),
    ]

    @Test("splitting the input at every byte gives the same result as parsing it whole", arguments: 0..<inputs.count)
    func everySplitPoint(_ index: Int) {
        let (text, format) = Self.inputs[index]
        let input = Array(text.utf8)
        let whole = Self.parse(input, format: format, chunkSizes: [input.count + 1])
        for split in 1..<input.count {
            let pieces = Self.parse(input, format: format, chunkSizes: [split, input.count])
            #expect(pieces == whole, "split at \(split)")
        }
        #expect(Self.parse(input, format: format, chunkSizes: [1]) == whole, "one byte at a time")
    }

    @Test(
        "fixtures fed in uneven chunks give the same samples",
        .enabled(if: ExpositionFixtures.available, "\(ExpositionFixtures.missingReason)"),
        arguments: ExpositionFixtures.sampleCounts.map(\.file)
    )
    func fixtureInChunks(_ file: String) throws {
        let input = try ExpositionFixtures.bytes(file)
        let format = ExpositionFixtures.format(of: file)
        let whole = Self.parse(input, format: format, chunkSizes: [input.count])
        #expect(Self.parse(input, format: format, chunkSizes: [1, 7, 4096, 13, 333]) == whole)
    }

    @Test("line numbers continue across chunks in errors")
    func errorLineAcrossChunks() {
        let input = Array("a 1\nb 2\nc 0x3\n".utf8)
        let result = Self.parse(input, format: .prometheusText, chunkSizes: [5, 3])
        #expect(
            result
                == .failure(
                    ExpositionError(line: 3, column: 3, message: "invalid value \"0x3\": expected a float such as 1027, 1.5e-3, +Inf, -Inf or NaN")
                )
        )
    }
}
