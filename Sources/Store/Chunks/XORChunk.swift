/// A run of samples compressed the way Prometheus' Gorilla ("XOR") chunks are: timestamps as
/// delta-of-deltas in variable-width buckets, values as the XOR with the previous value with
/// its leading and trailing zero bits elided. Regular scrapes of slowly changing series cost
/// about 1–2 bytes per sample instead of 16.
///
/// Layout (big-endian bit stream): 2 bytes sample count; the first timestamp as a zig-zag
/// varint and the first value as 64 raw bits; the second timestamp as a zig-zag varint delta
/// (signed, so the codec round-trips any order) and its value XOR-encoded; then per sample a
/// delta-of-delta in one of the buckets `0`, `10`+14 bits, `110`+17 bits, `1110`+20 bits,
/// `1111`+64 bits, and the XOR-encoded value.
package struct XORChunk: Hashable, Sendable {
    /// The most samples one chunk holds (the 2-byte count header).
    package static let maximumCount = Int(UInt16.max)

    /// The encoded bytes, as stored in the database.
    package let bytes: [UInt8]

    /// Wraps bytes read back from storage; `decode()` validates them.
    package init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The number of samples, read from the header (0 when the header is missing).
    package var count: Int {
        bytes.count < 2 ? 0 : Int(bytes[0]) << 8 | Int(bytes[1])
    }

    /// Encodes `samples` in the order given (callers keep them in timestamp order).
    /// Values are stored bit for bit, so NaN payloads such as stale markers survive.
    package init(encoding samples: some Collection<Sample>) {
        precondition(samples.count <= Self.maximumCount, "a chunk holds at most \(Self.maximumCount) samples")
        var appender = XORAppender(capacity: 16 + samples.count * 2)
        for sample in samples { appender.append(sample) }
        self = appender.chunk
    }

    /// The samples, in stored order. Throws when the bytes are truncated or damaged.
    package func decode() throws(ChunkDecodingError) -> [Sample] {
        var reader = BitReader(bytes)
        guard let header = reader.readBits(16) else { throw .truncated(sample: 0) }
        let total = Int(header)
        var samples: [Sample] = []
        samples.reserveCapacity(total)
        var time: Int64 = 0
        var delta: Int64 = 0
        var values = XORValueDecoder()
        for index in 0..<total {
            switch index {
            case 0:
                guard let first = reader.readVarint(), let bits = reader.readBits(64) else {
                    throw .truncated(sample: index)
                }
                time = first
                values.start(bits)
            case 1:
                guard let firstDelta = reader.readVarint() else { throw .truncated(sample: index) }
                delta = firstDelta
                time = time &+ delta
                guard values.decode(from: &reader) else { throw .truncated(sample: index) }
            default:
                guard let dod = Self.readDeltaOfDelta(from: &reader) else { throw .truncated(sample: index) }
                delta = delta &+ dod
                time = time &+ delta
                guard values.decode(from: &reader) else { throw .truncated(sample: index) }
            }
            samples.append(Sample(timestamp: time, value: Double(bitPattern: values.previous)))
        }
        return samples
    }

    /// The bucket widths, after their prefixes `10`, `110`, `1110`.
    private static let buckets: [(prefix: UInt64, prefixBits: Int, width: Int)] = [
        (0b10, 2, 14), (0b110, 3, 17), (0b1110, 4, 20),
    ]

    static func writeDeltaOfDelta(_ dod: Int64, into writer: inout BitWriter) {
        if dod == 0 {
            writer.writeBit(false)
            return
        }
        for bucket in buckets where fits(dod, bits: bucket.width) {
            writer.writeBits(bucket.prefix, count: bucket.prefixBits)
            writer.writeBits(UInt64(bitPattern: dod), count: bucket.width)
            return
        }
        writer.writeBits(0b1111, count: 4)
        writer.writeBits(UInt64(bitPattern: dod), count: 64)
    }

    private static func readDeltaOfDelta(from reader: inout BitReader) -> Int64? {
        var ones = 0
        while ones < 4 {
            guard let bit = reader.readBit() else { return nil }
            if !bit { break }
            ones += 1
        }
        if ones == 0 { return 0 }
        if ones == 4 { return reader.readBits(64).map { Int64(bitPattern: $0) } }
        let width = buckets[ones - 1].width
        guard let raw = reader.readBits(width) else { return nil }
        // Sign-extend the two's complement field.
        let shift = UInt64(64 - width)
        return Int64(bitPattern: raw << shift) >> Int64(shift)
    }

    /// Whether `value` fits a two's complement field of `bits` bits.
    private static func fits(_ value: Int64, bits: Int) -> Bool {
        let limit = Int64(1) << Int64(bits - 1)
        return value >= -limit && value < limit
    }
}

/// A stored chunk could not be decoded: the database file was damaged or written by something
/// else. The store reports it rather than returning wrong samples.
package enum ChunkDecodingError: Error, Equatable, CustomStringConvertible {
    case truncated(sample: Int)

    package var description: String {
        switch self {
        case .truncated(let sample):
            "chunk data ends inside sample \(sample); the database is damaged, restore it from a backup or re-import"
        }
    }
}
