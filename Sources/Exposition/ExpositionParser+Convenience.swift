extension ExpositionParser {
    /// Parses a whole exposition held in memory: `consume` then `finish`.
    public mutating func parse<V: ExpositionVisitor>(_ bytes: UnsafeBufferPointer<UInt8>, into visitor: inout V) throws {
        try consume(bytes, into: &visitor)
        try finish(into: &visitor)
    }

    /// Parses a whole exposition into copied samples.
    public static func samples(in bytes: [UInt8], format: ExpositionFormat, options: Options = Options()) throws -> [ParsedSample] {
        var parser = ExpositionParser(format: format, options: options)
        var collector = SampleCollector()
        try bytes.withUnsafeBufferPointer { try parser.parse($0, into: &collector) }
        return collector.samples
    }

    /// Parses a whole exposition into families with their metadata.
    public static func families(in bytes: [UInt8], format: ExpositionFormat, options: Options = Options()) throws -> [MetricFamily] {
        var parser = ExpositionParser(format: format, options: options)
        var collector = FamilyCollector()
        try bytes.withUnsafeBufferPointer { try parser.parse($0, into: &collector) }
        return collector.families
    }
}
