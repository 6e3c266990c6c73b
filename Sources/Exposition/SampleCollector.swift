/// Collects samples as `ParsedSample` values: the convenient, allocating way to parse.
public struct SampleCollector: ExpositionVisitor {
    /// The samples seen so far, in input order.
    public var samples: [ParsedSample] = []

    /// Creates an empty collector.
    public init() {}

    public mutating func visitSample(_ sample: SampleView) throws {
        samples.append(sample.makeSample())
    }
}

/// Counts samples and does nothing else, for `parse-metrics --count` and benchmarks.
public struct SampleCounter: ExpositionVisitor {
    /// Samples seen so far.
    public private(set) var count = 0

    /// Creates a counter at zero.
    public init() {}

    public mutating func visitSample(_ sample: SampleView) throws { count += 1 }
}
