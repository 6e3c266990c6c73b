public import Exposition

/// A visitor that reads every decoded name, label and value, so that a benchmark measures full
/// label decoding (as Prometheus's benchmark does with `Labels`) and the optimiser cannot skip it.
public struct LabelDecodingVisitor: ExpositionVisitor {
    /// Samples seen.
    public private(set) var samples = 0
    /// A checksum over everything read, so the work is observable.
    public private(set) var checksum = 0

    /// Creates an empty visitor.
    public init() {}

    public mutating func visitSample(_ sample: SampleView) throws {
        samples += 1
        var sum = sample.name.count &+ Int(sample.value.bitPattern & 0xFF)
        for index in 0..<sample.labelCount {
            let name = sample.labelName(at: index)
            let value = sample.labelValue(at: index)
            sum &+= name.count &+ value.count &+ Int(name.first ?? 0) &+ Int(value.last ?? 0)
        }
        checksum &+= sum
    }

    /// Parses a whole exposition held in memory.
    public static func parse(_ bytes: [UInt8], format: ExpositionFormat) throws -> LabelDecodingVisitor {
        var parser = ExpositionParser(format: format)
        var visitor = LabelDecodingVisitor()
        try bytes.withUnsafeBufferPointer { try parser.parse($0, into: &visitor) }
        return visitor
    }
}
