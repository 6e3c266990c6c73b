/// A sample copied out of the input: what `ballast parse-metrics` prints and what tests compare.
/// Equality compares values bit for bit, so NaN equals NaN and `0` differs from `-0`, which is
/// what a round trip must preserve.
public struct ParsedSample: Sendable, Hashable, CustomStringConvertible {
    /// One label pair, in input order.
    public struct Label: Sendable, Hashable {
        public var name: String
        public var value: String

        /// Creates a label pair.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The metric name, unescaped, without `__name__` among the labels.
    public var name: String
    /// The labels in input order, empty values kept.
    public var labels: [Label]
    /// The value.
    public var value: Double
    /// Milliseconds since the epoch, or nil when the line has no timestamp.
    public var timestampMs: Int64?

    /// Creates a sample.
    public init(name: String, labels: [Label] = [], value: Double, timestampMs: Int64? = nil) {
        self.name = name
        self.labels = labels
        self.value = value
        self.timestampMs = timestampMs
    }

    public static func == (lhs: ParsedSample, rhs: ParsedSample) -> Bool {
        lhs.name == rhs.name && lhs.labels == rhs.labels && lhs.value.bitPattern == rhs.value.bitPattern
            && lhs.timestampMs == rhs.timestampMs
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(labels)
        hasher.combine(value.bitPattern)
        hasher.combine(timestampMs)
    }

    public var description: String {
        let labelText = labels.map { "\($0.name)=\"\($0.value)\"" }.joined(separator: ",")
        let timestampText = timestampMs.map { " \($0)" } ?? ""
        return "\(name){\(labelText)} \(SampleValueFormat.string(for: value))\(timestampText)"
    }
}
