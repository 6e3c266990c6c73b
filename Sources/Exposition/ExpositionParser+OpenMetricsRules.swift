#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One OpenMetrics sample as the strict rules see it.
struct OpenMetricsSample {
    var family: Int
    var type: MetricType
    var role: SampleRole
    var value: Double
    var timestamp: Int64?

    var isHistogram: Bool { type == .histogram || type == .gaugeHistogram }
}

extension ExpositionParser {
    /// The OpenMetrics 1.0 rules on one sample (strict only): the values each type allows, the `le`/`quantile`/state labels, series not interleaved, point
    /// timestamps increasing, and the histogram rules that span a point's lines.
    mutating func checkOpenMetricsSample(_ line: UnsafePointer<UInt8>, _ sample: OpenMetricsSample, _ valueStart: UnsafePointer<UInt8>) throws {
        let (signature, bound, lePosition) = try checkSampleAlone(line, sample, valueStart)
        switch series.enterSeries(signature) {
        case .interleaved:
            throw error(at: lineStart, "this series appeared earlier in its family with other series in between; group each series' samples together")
        case .next:
            try finishHistogramPoint()
            startPoint(sample)
        case .same:
            // A sample without a timestamp stays in the current point: the spec does not forbid
            // mixing, and an exemplar's own timestamp is easily mistaken for one.
            guard let timestamp = sample.timestamp else { break }
            guard let previous = series.pointTimestamp else {
                series.pointTimestamp = timestamp
                break
            }
            if timestamp != previous {
                guard timestamp > previous else {
                    throw error(
                        at: afterValue(valueStart),
                        "timestamp goes backwards within the series; a series' points must have increasing timestamps"
                    )
                }
                try finishHistogramPoint()
                startPoint(sample)
            }
        }
        if sample.isHistogram { try recordHistogramSample(sample, bound: bound, le: lePosition, value: valueStart) }
    }

    /// The rules one line settles by itself: its value and its `le`/`quantile`/state label. Returns
    /// the series signature, the bucket bound and where `le` is written. One call, so the parser
    /// is borrowed once per sample rather than once per check.
    private func checkSampleAlone(
        _ line: UnsafePointer<UInt8>,
        _ sample: OpenMetricsSample,
        _ valueStart: UnsafePointer<UInt8>
    ) throws -> (UInt64, Double?, UnsafePointer<UInt8>) {
        if let problem = valueProblem(sample) { throw error(at: valueStart, problem) }
        let (excluded, bound) = try checkSpecialLabels(line, sample)
        return (labelSignature(line, excluding: excluded), bound, excluded >= 0 ? labelPosition(line, excluded) : lineStart)
    }

    /// Where the token after a sample's value starts (its timestamp, when it has one).
    private func afterValue(_ valueStart: UnsafePointer<UInt8>) -> UnsafePointer<UInt8> {
        var p = valueStart
        while p.pointee != UInt8(ascii: " ") { p += 1 }
        return p + 1
    }

    private mutating func startPoint(_ sample: OpenMetricsSample) {
        series.pointTimestamp = sample.timestamp
        if sample.isHistogram { series.point.open(line: lineNumber) }
    }

    /// What is wrong with a sample's value for its type and role, if anything.
    ///
    /// The spec also forbids a negative `_sum` or quantile value and a `_sum` beside negative
    /// bucket thresholds, but the reference client (client_golang) writes all three for
    /// quantities that can be negative, so real expositions carry them; rejecting them would fail
    /// real targets over a rule about the measured quantity, not the format. Only NaN sums are refused.
    @inline(__always)
    private func valueProblem(_ sample: OpenMetricsSample) -> String? {
        let value = sample.value
        switch (sample.type, sample.role) {
        case (.info, _):
            return value == 1 ? nil : "info samples must have the value 1"
        case (.stateSet, _):
            return value == 0 || value == 1 ? nil : "stateset samples must have the value 0 or 1"
        case (.gaugeHistogram, .gaugeSum), (_, .sum):
            return value.isNaN ? "\(sample.role == .sum ? "_sum" : "_gsum") must not be NaN" : nil
        case (.counter, .total):
            return value.isNaN || value < 0 ? "counter _total must not be negative or NaN" : nil
        case (_, .count), (_, .gaugeCount), (_, .bucket):
            guard value.isFinite && value.rounded() == value && value >= 0 else {
                return "\(sample.role == .bucket ? "bucket" : "count") values must be non-negative integers"
            }
            return nil
        default:
            return nil
        }
    }

    /// Checks `le` on buckets, `quantile` on summary quantiles and the state label of a stateset;
    /// returns the index of the label that does not identify the series (or -1) and the bucket bound.
    @inline(__always)
    private func checkSpecialLabels(_ line: UnsafePointer<UInt8>, _ sample: OpenMetricsSample) throws -> (Int, Double?) {
        switch sample.type {
        case .histogram, .gaugeHistogram:
            guard let (index, bound) = try roleLabel("le", line, required: sample.role == .bucket, samples: "histogram bucket") else {
                return (-1, nil)
            }
            if bound.isNaN { throw error(at: labelPosition(line, index), "le must not be NaN") }
            let text = bytes(labels[index].value, line: line)
            if bound == .infinity && !(text.count == 4 && memcmp(text.baseAddress!, "+Inf", 4) == 0) {
                throw error(at: labelPosition(line, index), "write the infinite bucket bound as le=\"+Inf\"")
            }
            return (index, bound)
        case .summary:
            guard let (index, quantile) = try roleLabel("quantile", line, required: sample.role == .plain, samples: "summary quantile") else {
                return (-1, nil)
            }
            guard quantile >= 0 && quantile <= 1 else {
                throw error(at: labelPosition(line, index), "quantile must be between 0 and 1")
            }
            return (index, nil)
        case .stateSet:
            let index = labelIndex(families.name(sample.family), line: line)
            guard index >= 0 else {
                throw error(
                    at: lineStart,
                    "stateset samples need a label named after their family (\(String(decoding: families.name(sample.family), as: UTF8.self)))"
                )
            }
            return (index, nil)
        case .counter, .gauge, .info, .unknown:
            return (-1, nil)
        }
    }

    /// The index and numeric value of `le` or `quantile`, which the samples that need it must carry
    /// and the others of their family must not; nil for the others.
    @inline(__always)
    private func roleLabel(_ name: StaticString, _ line: UnsafePointer<UInt8>, required: Bool, samples: String) throws -> (Int, Double)? {
        let index = labelIndex(name, line: line)
        guard required else {
            if index >= 0 { throw error(at: labelPosition(line, index), "only \(samples) samples may have the \(name) label") }
            return nil
        }
        guard index >= 0 else { throw error(at: lineStart, "\(samples) sample without the \(name) label") }
        return (index, try numericLabel(line, index))
    }

    /// Where a label is written, for errors; the line start when its name was unescaped.
    private func labelPosition(_ line: UnsafePointer<UInt8>, _ index: Int) -> UnsafePointer<UInt8> {
        let name = labels[index].name
        return name.inScratch ? lineStart : lineStart + name.offset
    }

    /// Adds a histogram sample to its point, checking what can be checked at once.
    /// Adds a histogram sample to its point, checking what can be checked at once.
    private mutating func recordHistogramSample(
        _ sample: OpenMetricsSample,
        bound: Double?,
        le: UnsafePointer<UInt8>,
        value valueStart: UnsafePointer<UInt8>
    ) throws {
        guard series.point.isOpen, let problem = series.point.record(sample.role, value: sample.value, bound: bound ?? 0) else { return }
        let threshold = SampleValueFormat.string(for: bound ?? 0)
        switch problem {
        case .repeated:
            throw error(at: le, "a second bucket with le=\(threshold) in one histogram point; give each threshold once")
        case .unsorted(let previous):
            throw error(
                at: le,
                "histogram buckets out of order: le=\(threshold) after le=\(SampleValueFormat.string(for: previous)); sort buckets by le"
            )
        case .decreasing:
            throw error(at: valueStart, "bucket counts are cumulative: this one is less than the bucket before it")
        case .countMismatch:
            throw error(at: valueStart, "the histogram's count must equal its le=\"+Inf\" bucket")
        }
    }

    /// Ends the histogram point being read, checking what needs all of it.
    mutating func finishHistogramPoint() throws {
        guard series.point.isOpen else { return }
        series.point.isOpen = false
        let point = series.point
        let type = families[currentFamily].type ?? .unknown
        guard let problem = point.problem(gauge: type == .gaugeHistogram) else { return }
        throw ExpositionError(
            line: point.firstLine,
            column: 1,
            message: "the \(type.rawValue) \(String(decoding: families.name(currentFamily), as: UTF8.self)) point starting here \(problem)"
        )
    }
}
