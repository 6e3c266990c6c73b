/// Where a name or value sits: in the input line (the common case, no copy) or, when it had to
/// be unescaped, in the parser's scratch buffer.
struct ByteSpan: BitwiseCopyable {
    var offset: Int
    var count: Int
    var inScratch: Bool

    static let missing = ByteSpan(offset: 0, count: -1, inScratch: false)
}

/// One label's name and value positions.
struct LabelSpan: BitwiseCopyable {
    var name: ByteSpan
    var value: ByteSpan
}

/// One parsed sample, seen in place: names and values point into the input or the parser's
/// scratch buffer, so visiting a sample copies nothing. A view is valid only during the
/// `ExpositionVisitor.visitSample` call that receives it; copy out (`makeSample()`, `String(...)`)
/// what must outlive the call.
public struct SampleView {
    let line: UnsafePointer<UInt8>
    let scratch: UnsafePointer<UInt8>
    let labelSpans: UnsafePointer<LabelSpan>
    let nameSpan: ByteSpan

    /// How many labels the sample has (the metric name is not one of them).
    public let labelCount: Int
    /// The sample value.
    public let value: Double
    /// Milliseconds since the epoch, when the line carries a timestamp (OpenMetrics seconds are
    /// converted, truncating).
    public let timestampMs: Int64?
    /// The declared type of the family the sample belongs to (`unknown` without a TYPE line).
    public let type: MetricType
    /// The family name: the metric name without `_bucket`, `_total`, ... when a TYPE line says so.
    public let familyName: UnsafeBufferPointer<UInt8>
    /// The 1-based input line of the sample.
    public let lineNumber: Int

    @inline(__always)
    func bytes(_ span: ByteSpan) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: (span.inScratch ? scratch : line) + span.offset, count: span.count)
    }

    /// The metric name, unescaped.
    public var name: UnsafeBufferPointer<UInt8> { bytes(nameSpan) }

    /// The name of label `index`, unescaped, in input order.
    public func labelName(at index: Int) -> UnsafeBufferPointer<UInt8> {
        precondition(index >= 0 && index < labelCount, "label index out of range")
        return bytes(labelSpans[index].name)
    }

    /// The value of label `index`, unescaped (empty values are kept).
    public func labelValue(at index: Int) -> UnsafeBufferPointer<UInt8> {
        precondition(index >= 0 && index < labelCount, "label index out of range")
        return bytes(labelSpans[index].value)
    }

    /// The metric name as a string.
    public var nameString: String { String(decoding: name, as: UTF8.self) }

    /// A copy that outlives the visit.
    public func makeSample() -> ParsedSample {
        var labels: [ParsedSample.Label] = []
        labels.reserveCapacity(labelCount)
        for index in 0..<labelCount {
            labels.append(
                ParsedSample.Label(
                    name: String(decoding: labelName(at: index), as: UTF8.self),
                    value: String(decoding: labelValue(at: index), as: UTF8.self)
                )
            )
        }
        return ParsedSample(name: nameString, labels: labels, value: value, timestampMs: timestampMs)
    }
}
