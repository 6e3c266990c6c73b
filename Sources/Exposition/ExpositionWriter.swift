/// Serialises metric families as Prometheus text (0.0.4, with 1.0.0 quoted names where a name
/// needs them) or OpenMetrics 1.0: the inverse of `ExpositionParser`, so that parse → write → parse
/// gives the same samples. Ballast uses it to re-expose scraped metrics and to export stored ones.
public struct ExpositionWriter: Sendable {
    /// The format written.
    public let format: ExpositionFormat

    /// Creates a writer for one format.
    public init(format: ExpositionFormat) {
        self.format = format
    }

    /// The exposition text for the families (ending with `# EOF` in OpenMetrics).
    public func string(for families: [MetricFamily]) -> String {
        var output: [UInt8] = []
        write(families, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends the exposition for the families.
    public func write(_ families: [MetricFamily], into output: inout [UInt8]) {
        for family in families {
            if format == .openMetrics && !fitsOpenMetricsNaming(family) {
                writeUnknownFamilies(family, into: &output)
            } else if format == .prometheusText && family.type == .counter && isOpenMetricsCounter(family) {
                writeOpenMetricsCounterAsText(family, into: &output)
            } else {
                writeFamily(family, type: family.type, into: &output)
            }
        }
        if format == .openMetrics { output.append(contentsOf: "# EOF\n".utf8) }
    }

    private func writeFamily(_ family: MetricFamily, type: MetricType, into output: inout [UInt8]) {
        if let help = family.help {
            output.append(contentsOf: "# HELP ".utf8)
            appendName(family.name, metric: true, into: &output)
            output.append(UInt8(ascii: " "))
            appendEscaped(help, quote: format == .openMetrics, into: &output)
            output.append(UInt8(ascii: "\n"))
        }
        output.append(contentsOf: "# TYPE ".utf8)
        appendName(family.name, metric: true, into: &output)
        output.append(contentsOf: " \(type.keyword(in: format))\n".utf8)
        if format == .openMetrics, let unit = family.unit, !unit.isEmpty {
            output.append(contentsOf: "# UNIT ".utf8)
            appendName(family.name, metric: true, into: &output)
            output.append(contentsOf: " \(unit)\n".utf8)
        }
        for sample in family.samples { append(sample, into: &output) }
    }

    /// OpenMetrics ties sample names to the family type (`_total` for counters, ...); samples that
    /// came from the text format may not follow it, so each such name becomes an unknown family.
    private func writeUnknownFamilies(_ family: MetricFamily, into output: inout [UInt8]) {
        var order: [String] = []
        var byName: [String: [ParsedSample]] = [:]
        for sample in family.samples {
            if byName[sample.name] == nil { order.append(sample.name) }
            byName[sample.name, default: []].append(sample)
        }
        for name in order {
            let help = name == family.name ? family.help : nil
            writeFamily(MetricFamily(name: name, help: help, samples: byName[name] ?? []), type: .unknown, into: &output)
        }
    }

    /// A counter named the OpenMetrics way: family `x`, samples `x_total` (and `x_created`).
    private func isOpenMetricsCounter(_ family: MetricFamily) -> Bool {
        family.samples.contains { $0.name == family.name + "_total" }
            && family.samples.allSatisfy { $0.name == family.name + "_total" || $0.name == family.name + "_created" }
    }

    /// The text format names a counter family after its samples (`x_total`), and has no
    /// `_created`: those samples become their own untyped family, as Prometheus exposes them.
    private func writeOpenMetricsCounterAsText(_ family: MetricFamily, into output: inout [UInt8]) {
        let totalName = family.name + "_total"
        let totals = family.samples.filter { $0.name == totalName }
        writeFamily(MetricFamily(name: totalName, type: .counter, help: family.help, samples: totals), type: .counter, into: &output)
        let created = family.samples.filter { $0.name != totalName }
        if !created.isEmpty {
            writeFamily(MetricFamily(name: family.name + "_created", samples: created), type: .unknown, into: &output)
        }
    }

    private func fitsOpenMetricsNaming(_ family: MetricFamily) -> Bool {
        let suffixes: [String]
        switch family.type {
        case .unknown, .gauge, .stateSet: suffixes = [""]
        case .counter: suffixes = ["_total", "_created"]
        case .info: suffixes = ["_info"]
        case .summary: suffixes = ["", "_sum", "_count", "_created"]
        case .histogram: suffixes = ["_bucket", "_sum", "_count", "_created"]
        case .gaugeHistogram: suffixes = ["_bucket", "_gsum", "_gcount"]
        }
        return family.samples.allSatisfy { sample in suffixes.contains { family.name + $0 == sample.name } }
    }

    /// Appends one sample line.
    public func append(_ sample: ParsedSample, into output: inout [UInt8]) {
        let plainName = Self.isLegacyName(sample.name, metric: true)
        if plainName { output.append(contentsOf: sample.name.utf8) }
        if !plainName || !sample.labels.isEmpty {
            output.append(UInt8(ascii: "{"))
            var first = true
            if !plainName {
                appendName(sample.name, metric: true, into: &output)
                first = false
            }
            for label in sample.labels {
                if !first { output.append(UInt8(ascii: ",")) }
                first = false
                appendName(label.name, metric: false, into: &output)
                output.append(contentsOf: "=\"".utf8)
                appendEscaped(label.value, quote: true, into: &output)
                output.append(UInt8(ascii: "\""))
            }
            output.append(UInt8(ascii: "}"))
        }
        output.append(UInt8(ascii: " "))
        output.append(contentsOf: SampleValueFormat.string(for: sample.value).utf8)
        if let timestamp = sample.timestampMs {
            output.append(UInt8(ascii: " "))
            if format == .openMetrics {
                output.append(contentsOf: Self.seconds(fromMilliseconds: timestamp).utf8)
            } else {
                output.append(contentsOf: String(timestamp).utf8)
            }
        }
        output.append(UInt8(ascii: "\n"))
    }

    /// Seconds text that a reader turns back into exactly these milliseconds with
    /// `Int64(seconds * 1000)`: the nearest double is nudged when the product would truncate
    /// to the neighbouring millisecond.
    static func seconds(fromMilliseconds milliseconds: Int64) -> String {
        var seconds = Double(milliseconds) / 1000
        for _ in 0..<4 where NumberParsing.milliseconds(fromSeconds: seconds) != milliseconds {
            seconds = milliseconds >= 0 ? seconds.nextUp : seconds.nextDown
        }
        return SampleValueFormat.string(for: seconds)
    }

    private func appendName(_ name: String, metric: Bool, into output: inout [UInt8]) {
        if Self.isLegacyName(name, metric: metric) {
            output.append(contentsOf: name.utf8)
        } else {
            output.append(UInt8(ascii: "\""))
            appendEscaped(name, quote: true, into: &output)
            output.append(UInt8(ascii: "\""))
        }
    }

    /// Escapes backslash and line feed, and the double quote inside quoted strings (and in
    /// OpenMetrics HELP, where `\"` is defined).
    private func appendEscaped(_ text: String, quote: Bool, into output: inout [UInt8]) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): output.append(contentsOf: "\\\\".utf8)
            case UInt8(ascii: "\n"): output.append(contentsOf: "\\n".utf8)
            case UInt8(ascii: "\"") where quote: output.append(contentsOf: "\\\"".utf8)
            default: output.append(byte)
            }
        }
    }

    /// Whether a name can be written without quotes: `[a-zA-Z_:][a-zA-Z0-9_:]*` for metrics,
    /// `[a-zA-Z_][a-zA-Z0-9_]*` for labels.
    static func isLegacyName(_ name: String, metric: Bool) -> Bool {
        var first = true
        for byte in name.utf8 {
            let valid =
                metric
                ? (first ? isMetricNameStart(byte) : isMetricNameContinuation(byte))
                : (first ? isLabelNameStart(byte) : isLabelNameContinuation(byte))
            guard valid else { return false }
            first = false
        }
        return !first
    }
}
