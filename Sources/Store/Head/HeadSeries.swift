/// One series' samples that are not yet in a stored chunk: the open chunk new samples append
/// to, and chunks already full (or ended by a block boundary) that wait for maintenance to write
/// them (a read-only store keeps them until it closes).
struct HeadSeries: Sendable {
    /// Full chunks kept as they were built (no copy at sealing, first and last times at hand
    /// when maintenance writes them).
    private(set) var sealed: [XORAppender] = []
    /// The newest timestamp stored for the series, here or in chunks (an import may store
    /// newer chunks than the head holds): the bound the append rules compare with.
    private(set) var newest: Int64 = .min
    private(set) var open = XORAppender()

    /// The first timestamp held, sealed or open (`.max` when empty).
    var firstTimestamp: Int64 {
        if let first = sealed.first { return first.firstTimestamp }
        return open.count > 0 ? open.firstTimestamp : .max
    }

    /// The newest timestamp held, or nil when empty.
    var lastTimestamp: Int64? { open.count > 0 ? open.lastTimestamp : nil }

    /// What `appendIfNewer` did.
    enum Admission {
        case appended
        /// The series already has a sample at this timestamp.
        case duplicate
        /// The series has a newer sample.
        case outOfOrder
    }

    /// Appends `sample` when it is newer than everything the series stores (`append`), or says
    /// why not. One in-place call, so the head's dictionary is searched once and nothing copied.
    mutating func appendIfNewer(_ sample: Sample, chunkSize: Int, blockRange: Int64) -> Admission {
        if sample.timestamp == newest { return .duplicate }
        if sample.timestamp < newest { return .outOfOrder }
        append(sample, chunkSize: chunkSize, blockRange: blockRange)
        return .appended
    }

    /// Appends `sample` to the open chunk, sealing it first when it holds `chunkSize` samples
    /// or `sample` falls in another time block (`blockRange` ms): no chunk spans two blocks, so
    /// the open chunk's newest sample is in its first sample's block.
    mutating func append(_ sample: Sample, chunkSize: Int, blockRange: Int64) {
        if open.count > 0
            && (open.count >= chunkSize || floorDiv(sample.timestamp, blockRange) != floorDiv(open.lastTimestamp, blockRange))
        {
            seal()
        }
        open.append(sample)
        newest = max(newest, sample.timestamp)
    }

    /// Records that the series' chunks reach `timestamp` (an import wrote them).
    mutating func noteStored(through timestamp: Int64) {
        newest = max(newest, timestamp)
    }

    /// Closes the open chunk into `sealed`; the next sample starts a new one.
    mutating func seal() {
        guard open.count > 0 else { return }
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
