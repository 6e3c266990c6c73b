/// Receives what the parser finds, in input order. The parser calls it once per sample and once
/// per metadata line, handing views into its own buffers so that nothing is allocated per sample;
/// a throwing visitor stops the parse with its error.
public protocol ExpositionVisitor {
    /// Called for every sample line.
    mutating func visitSample(_ sample: SampleView) throws
    /// Called for every HELP, TYPE and UNIT line; ignoring them is the default.
    mutating func visitMetadata(_ metadata: MetadataView) throws
}

extension ExpositionVisitor {
    /// Metadata is optional for most consumers.
    public mutating func visitMetadata(_ metadata: MetadataView) throws {}
}
