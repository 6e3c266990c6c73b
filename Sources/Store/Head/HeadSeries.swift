/// One series' samples that are not yet in a stored chunk: the open chunk new samples append
/// to, and chunks already full (or ended by a block boundary) that wait for maintenance to write
/// them (a read-only store keeps them until it closes).
struct HeadSeries: Sendable {
    /// Full chunks kept as they were built (no copy at sealing, first and last times at hand
    /// when maintenance writes them).
    private(set) var sealed: [XORAppender] = []
    private(set) var open = XORAppender()
    /// The first timestamp of the sealed chunks (meaningless while there are none).
    private var sealedFirstTimestamp: Int64 = .max

    /// The first timestamp held, sealed or open (`.max` when empty).
    var firstTimestamp: Int64 {
        if !sealed.isEmpty { return sealedFirstTimestamp }
        return open.count > 0 ? open.firstTimestamp : .max
    }

    /// The newest timestamp held, or nil when empty.
    var lastTimestamp: Int64? { open.count > 0 ? open.lastTimestamp : nil }

    /// Appends `sample` to the open chunk.
    mutating func append(_ sample: Sample) {
        open.append(sample)
    }

    /// Closes the open chunk into `sealed`; the next sample starts a new one.
    mutating func seal() {
        guard open.count > 0 else { return }
        if sealed.isEmpty { sealedFirstTimestamp = open.firstTimestamp }
        sealed.append(open)
        open = XORAppender()
    }

    /// Removes and returns the sealed chunks, for the caller to write.
    mutating func takeSealed() -> [XORAppender] {
        defer { sealed.removeAll() }
        return sealed
    }

    /// Removes and returns the open chunk, for the caller to write.
    mutating func takeOpen() -> XORAppender {
        defer { open = XORAppender() }
        return open
    }

    /// Every sample held, in time order.
    func samples() -> [Sample] {
        sealed.flatMap { $0.samples() } + open.samples()
    }

    /// Samples held.
    var sampleCount: Int { sealed.reduce(open.count) { $0 + $1.count } }

    /// Bytes of sample data held, for memory accounting.
    var byteCount: Int { sealed.reduce(open.byteCount) { $0 + $1.byteCount } }
}
