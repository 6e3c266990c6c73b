import Exposition
import Store
import Testing

@testable import Collector

/// A target's series labelled from their cached keys as Prometheus 2.42 labels them with
/// `honor_labels: false` (`mutateSampleLabels` and `resolveConflictingExposedLabels` in its
/// scrape loop).
@Suite struct TargetLabelingTests {
    /// The key of the one sample `line` holds.
    private struct KeyOfLine: ExpositionVisitor {
        var key = RawSeriesKey()

        mutating func visitSample(_ sample: SampleView) throws {
            key.set(sample)
        }
    }

    private func labels(_ line: String, target: [String: String] = ["job": "j", "instance": "i:1"]) throws -> Labels {
        var visitor = KeyOfLine()
        var parser = ExpositionParser(format: .prometheusText)
        let body = Array((line + "\n").utf8)
        try body.withUnsafeBufferPointer { try parser.parse($0, into: &visitor) }
        return visitor.key.bytes.withUnsafeBufferPointer { TargetLabeling(target).labels(ofKey: $0) }
    }

    @Test func targetLabelsJoinTheExposedOnes() throws {
        #expect(try labels(#"a{x="1",y="é\n"} 1"#) == Labels(name: "a", ["x": "1", "y": "é\n", "job": "j", "instance": "i:1"]))
    }

    @Test func anExposedLabelClashingWithATargetLabelIsKeptAsExported() throws {
        #expect(try labels(#"a{job="x"} 1"#) == Labels(name: "a", ["exported_job": "x", "job": "j", "instance": "i:1"]))
        // An exposed name already taken pushes the rename one prefix further.
        #expect(
            try labels(#"a{job="x",exported_job="y"} 1"#)
                == Labels(name: "a", ["exported_exported_job": "x", "exported_job": "y", "job": "j", "instance": "i:1"])
        )
    }

    @Test func anEmptyExposedValueIsNoClash() throws {
        #expect(try labels(#"a{job=""} 1"#) == Labels(name: "a", ["job": "j", "instance": "i:1"]))
    }

    @Test func clashesAreRenamedShortestFirstAndNeverOntoAnEarlierRename() throws {
        // A file_sd label exported_job: job (shorter) takes exported_exported_job first, so
        // exported_job goes one prefix further instead of landing on the same name.
        let target = ["job": "j", "instance": "i:1", "exported_job": "f"]
        #expect(
            try labels(#"a{exported_job="b",job="a"} 1"#, target: target)
                == Labels(
                    name: "a",
                    [
                        "job": "j", "instance": "i:1", "exported_job": "f", "exported_exported_job": "a", "exported_exported_exported_job": "b",
                    ]
                )
        )
    }
}
