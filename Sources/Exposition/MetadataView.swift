/// A HELP, TYPE or UNIT line, seen in place like `SampleView` and valid only during the visit.
public struct MetadataView {
    /// Which metadata line it is.
    public enum Kind: Sendable, Hashable {
        case help
        case type
        case unit
    }

    /// The kind of line.
    public let kind: Kind
    /// The metric family the line describes.
    public let name: UnsafeBufferPointer<UInt8>
    /// HELP text (unescaped) or the unit; empty for TYPE.
    public let text: UnsafeBufferPointer<UInt8>
    /// The declared type, for TYPE lines.
    public let type: MetricType?
    /// The 1-based input line.
    public let lineNumber: Int
}
