/// Appends values of any bit width to a byte buffer, most significant bit first, as the Gorilla
/// encoding needs: its control codes and payloads are rarely whole bytes.
struct BitWriter {
    /// The bytes written so far; the last one may be partly filled.
    private(set) var bytes: [UInt8] = []
    /// How many bits of the last byte are still free (0 means a new byte is needed). One byte:
    /// the head keeps a writer per series.
    private var freeBitsStorage: UInt8 = 0
    private var freeBits: Int {
        get { Int(freeBitsStorage) }
        set { freeBitsStorage = UInt8(truncatingIfNeeded: newValue) }
    }

    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    /// Writes one bit.
    mutating func writeBit(_ bit: Bool) {
        if freeBits == 0 {
            bytes.append(0)
            freeBits = 8
        }
        freeBits -= 1
        if bit { bytes[bytes.count - 1] |= 1 << UInt8(freeBits) }
    }

    /// Writes the low `count` bits of `value` (0...64), highest first. The bytes it needs are
    /// added first and then filled through one pointer: indexing the array per byte checked its
    /// uniqueness every time (by `perf`, 2% of the collector's time).
    mutating func writeBits(_ value: UInt64, count: Int) {
        guard count > 0 else { return }
        let added = (count - freeBits + 7) / 8
        for _ in 0..<added { bytes.append(0) }
        var free = freeBits + added * 8
        bytes.withUnsafeMutableBufferPointer { buffer in
            var index = buffer.count - (free + 7) / 8
            var remaining = count
            while remaining > 0 {
                let room = (free - 1) % 8 + 1
                let take = min(room, remaining)
                let shifted = remaining - take
                let chunk = UInt8(truncatingIfNeeded: (value >> UInt64(shifted)) & ((1 << UInt64(take)) - 1))
                buffer[index] |= chunk << UInt8(room - take)
                free -= take
                remaining = shifted
                if take == room { index += 1 }
            }
        }
        freeBits = free
    }

    /// Writes whole bytes; the writer must be byte aligned (only headers use this).
    mutating func writeByte(_ byte: UInt8) {
        writeBits(UInt64(byte), count: 8)
    }

    /// Writes an unsigned LEB128 varint, as Prometheus chunks encode their first values.
    mutating func writeUVarint(_ value: UInt64) {
        Self.uvarintBytes(of: value) { writeByte($0) }
    }

    /// Hands `body` the bytes of `value` as an unsigned LEB128 varint, low group first: the one
    /// varint form of chunks and of stored label sets.
    static func uvarintBytes(of value: UInt64, _ body: (UInt8) -> Void) {
        var rest = value
        while rest >= 0x80 {
            body(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        body(UInt8(rest))
    }

    /// Writes a signed varint in zig-zag form.
    mutating func writeVarint(_ value: Int64) {
        writeUVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }
}
