/// The type a `# TYPE` line declares for a metric family. The text format knows the first five
/// (`unknown` is its `untyped`); OpenMetrics adds the last three. Knowing the type tells the
/// parser which sample names (`_bucket`, `_total`, ...) belong to the family.
public enum MetricType: String, Sendable, Hashable, CaseIterable, BitwiseCopyable {
    case counter
    case gauge
    case histogram
    case summary
    /// `untyped` in the text format, `unknown` in OpenMetrics: no TYPE line, or declared as such.
    case unknown
    case gaugeHistogram = "gaugehistogram"
    case stateSet = "stateset"
    case info

    /// The keyword for this type in a `# TYPE` line of the given format. Types the text format
    /// lacks are written as `untyped` there, which is how Prometheus treats them.
    public func keyword(in format: ExpositionFormat) -> String {
        switch (self, format) {
        case (.unknown, .openMetrics): return "unknown"
        case (.unknown, .prometheusText), (.gaugeHistogram, .prometheusText), (.stateSet, .prometheusText), (.info, .prometheusText):
            return "untyped"
        default: return rawValue
        }
    }

    /// Reads a TYPE keyword as the format's written spec defines it: lowercase only, as the
    /// Prometheus server reads it too (it refuses `COUNTER`, although expfmt reads any case).
    init?(keyword: UnsafeBufferPointer<UInt8>, format: ExpositionFormat) {
        switch (String(decoding: keyword, as: UTF8.self), format) {
        case ("counter", _): self = .counter
        case ("gauge", _): self = .gauge
        case ("histogram", _): self = .histogram
        case ("summary", _): self = .summary
        case ("untyped", .prometheusText), ("unknown", .openMetrics): self = .unknown
        case ("gaugehistogram", .openMetrics): self = .gaugeHistogram
        case ("stateset", .openMetrics): self = .stateSet
        case ("info", .openMetrics): self = .info
        default: return nil
        }
    }
}
