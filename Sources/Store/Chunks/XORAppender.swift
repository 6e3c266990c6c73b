/// Builds an `XORChunk` one sample at a time. The head keeps each series' newest samples in one
/// of these, so recent data costs about as much memory as it does on disk (1–2 bytes a regular
/// sample rather than 16), and cutting the chunk to storage is a copy of its bytes.
struct XORAppender: Sendable {
    private var writer: BitWriter
    /// Samples appended so far (4 bytes: the head keeps an appender per series).
    private var storedCount: Int32 = 0
    var count: Int { Int(storedCount) }
    /// The newest timestamp appended (meaningless while `count` is 0).
    private(set) var lastTimestamp: Int64 = 0
    private var previousDelta: Int64 = 0
    private var values = XORValueEncoder()

    init(capacity: Int = 32) {
        writer = BitWriter(capacity: capacity)
        writer.writeBits(0, count: 16)
    }

    /// Appends `sample`; callers keep samples in timestamp order and stop at `XORChunk.maximumCount`.
    mutating func append(_ sample: Sample) {
        switch count {
        case 0:
            writer.writeVarint(sample.timestamp)
            writer.writeBits(sample.value.bitPattern, count: 64)
            values.start(sample.value.bitPattern)
        case 1:
            previousDelta = sample.timestamp &- lastTimestamp
            writer.writeVarint(previousDelta)
            values.encode(sample.value.bitPattern, into: &writer)
        default:
            let delta = sample.timestamp &- lastTimestamp
            XORChunk.writeDeltaOfDelta(delta &- previousDelta, into: &writer)
            previousDelta = delta
            values.encode(sample.value.bitPattern, into: &writer)
        }
        lastTimestamp = sample.timestamp
        storedCount += 1
    }

    /// The first timestamp appended (meaningless while `count` is 0), read back from the bytes:
    /// kept, it would take 8 of the 72 bytes every series has in the head, for maintenance and
    /// reads that ask rarely.
    var firstTimestamp: Int64 {
        var reader = BitReader(writer.bytes)
        _ = reader.readBits(16)
        return reader.readVarint() ?? 0
    }

    /// The chunk holding every sample appended so far.
    var chunk: XORChunk {
        var bytes = writer.bytes
        bytes[0] = UInt8(truncatingIfNeeded: count >> 8)
        bytes[1] = UInt8(truncatingIfNeeded: count)
        return XORChunk(bytes: bytes)
    }

    /// The samples appended so far, in order.
    func samples() -> [Sample] {
        // The encoding is this type's own, so it always decodes.
        (try? chunk.decode()) ?? []
    }

    /// Bytes held, for memory accounting.
    var byteCount: Int { writer.bytes.count }
}
