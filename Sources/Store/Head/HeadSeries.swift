/// One series' samples that are not yet in a stored chunk: the open chunk new samples append
/// to, and, only while a store is reloading its head, chunks already full that wait to be
/// written (a read-only store keeps them until it closes).
struct HeadSeries: Sendable {
    var sealed: [XORChunk] = []
    var open = XORAppender()
    /// The first timestamp held (sealed or open).
    private(set) var firstTimestamp: Int64 = .max

    /// The newest timestamp held, or nil when empty.
    var lastTimestamp: Int64? { open.count > 0 ? open.lastTimestamp : nil }

    var isEmpty: Bool { open.count == 0 && sealed.isEmpty }

    /// Appends `sample` to the open chunk.
    mutating func append(_ sample: Sample) {
        if isEmpty { firstTimestamp = sample.timestamp }
        open.append(sample)
    }

    /// Closes the open chunk: the caller writes it (or keeps it in `sealed`).
    mutating func takeOpen() -> XORAppender {
        let chunk = open
        open = XORAppender()
        firstTimestamp = sealed.isEmpty ? .max : firstTimestamp
        return chunk
    }

    /// Every sample held, in time order.
    func samples() throws(ChunkDecodingError) -> [Sample] {
        var samples: [Sample] = []
        for chunk in sealed { samples += try chunk.decode() }
        return samples + open.samples()
    }

    /// Bytes of sample data held, for memory accounting.
    var byteCount: Int { sealed.reduce(open.byteCount) { $0 + $1.bytes.count } }
}
