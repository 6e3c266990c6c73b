import Exposition
import TestSupport
import Testing

@testable import Store

@Suite struct OpenMetricsImportTests {
    private let directory: TemporaryDirectory
    private let store: Store

    init() throws {
        directory = try TemporaryDirectory()
        store = try Store(path: directory.file("ballast.db"), options: Store.Options(chunkSize: 4))
    }

    /// Feeds `text` in pieces of `pieceSize` bytes, as the command reads a file.
    private func importText(_ text: String, pieceSize: Int = 7) throws(ImportError) -> AppendResult {
        let importer: OpenMetricsImport
        do {
            importer = try OpenMetricsImport(store: store, batchSize: 3)
        } catch {
            throw .store(error)
        }
        let bytes = Array(text.utf8)
        var start = 0
        while start < bytes.count {
            let end = min(start + pieceSize, bytes.count)
            let piece = Array(bytes[start..<end])
            try piece.withUnsafeBufferPointer { buffer throws(ImportError) in try importer.consume(buffer) }
            start = end
        }
        return try importer.finish()
    }

    private func stored() throws -> [String: [Sample]] {
        var result: [String: [Sample]] = [:]
        for series in try store.series(matching: [], from: .min, through: .max) {
            result[series.labels.description] = series.samples
        }
        return result
    }

    @Test func importsFloatSecondTimestampsAndCanonicalLabels() throws {
        let text = """
            # TYPE http_requests counter
            http_requests_total{path="/",code="200"} 10 1700000000.5
            http_requests_total{code="200",path="/"} 12 1700000015.5
            http_requests_total{code="500",path="/",empty=""} 1 1700000000
            # EOF

            """
        #expect(try importText(text) == AppendResult(appended: 3))
        let samples = try stored()
        #expect(
            samples[#"http_requests_total{code="200", path="/"}"#] == [
                Sample(timestamp: 1_700_000_000_500, value: 10), Sample(timestamp: 1_700_000_015_500, value: 12),
            ]
        )
        #expect(samples[#"http_requests_total{code="500", path="/"}"#]?.count == 1)
    }

    @Test func reImportingTheSameFileSkipsEverySample() throws {
        let text = (0..<10).map { "m{k=\"v\"} \($0) \(1_700_000_000 + $0 * 15)\n" }.joined() + "# EOF\n"
        #expect(try importText(text) == AppendResult(appended: 10))
        #expect(try importText(text, pieceSize: 1000) == AppendResult(duplicates: 10))
        #expect(try stored().values.first?.count == 10)
    }

    @Test func anErrorKeepsTheSamplesBeforeItAndNamesTheLine() throws {
        let text = "a 1 100\na 2 115\nb{ 3 100\nb 4 130\n# EOF\n"
        let fixed = "a 1 100\na 2 115\nb 3 100\nb 4 130\n# EOF\n"
        #expect {
            try importText(text)
        } throws: { error in
            guard case ImportError.invalidInput(let invalid, let imported) = error else { return false }
            return invalid.line == 3 && imported == 2
        }
        #expect(try stored()["a{}"]?.map(\.value) == [1, 2])
        #expect(try importText(fixed) == AppendResult(appended: 2, duplicates: 2))
    }

    @Test func aSampleWithoutATimestampIsRejected() throws {
        #expect {
            try importText("a 1 100\na 2\n# EOF\n")
        } throws: { error in
            guard case ImportError.invalidInput(let invalid, 1) = error else { return false }
            return invalid.line == 2 && invalid.description.contains("timestamp")
        }
    }

    @Test func aFileWithoutTheFinalEOFIsInvalidButKeepsItsSamples() throws {
        #expect(throws: ImportError.self) { try importText("a 1 100\n") }
        #expect(try stored()["a{}"]?.count == 1)
    }

    @Test func exportWritesWhatImportReadsBack() throws {
        let text = """
            # TYPE b gauge
            b{x="q\\"uote",y="new\\nline"} -0.5 1700000000.001
            b{x="plain"} +Inf 1700000001
            # TYPE a unknown
            a NaN 1700000002.25
            a 1e-300 1700000003
            # EOF

            """
        _ = try importText(text)
        try store.append([LabeledSample(labels: Labels(name: "a"), sample: .staleMarker(at: 1_700_000_010_000))])
        var exported = ""
        let count = try OpenMetricsExport(store: store).write(selectors: [], from: .min, through: .max) { exported += $0 }
        #expect(count == 4)
        #expect(
            exported == """
                a NaN 1700000002.25
                a 1e-300 1700000003
                b{x="plain"} +Inf 1700000001
                b{x="q\\"uote",y="new\\nline"} -0.5 1700000000.001
                # EOF

                """
        )
        let copy = try Store(path: directory.file("copy.db"))
        let reimport = try OpenMetricsImport(store: copy)
        try Array(exported.utf8).withUnsafeBufferPointer { buffer throws(ImportError) in try reimport.consume(buffer) }
        #expect(try reimport.finish() == AppendResult(appended: 4))
    }

    @Test func exportSelectsByMatchersAndTimeRange() throws {
        _ = try importText("a{j=\"1\"} 1 10\na{j=\"1\"} 2 20\na{j=\"2\"} 3 10\n# EOF\n")
        var exported = ""
        try OpenMetricsExport(store: store).write(
            selectors: [[LabelMatcher("j", .equal, "1")]],
            from: 15_000,
            through: 20_000
        ) { exported += $0 }
        #expect(exported == "a{j=\"1\"} 2 20\n# EOF\n")
    }
}
