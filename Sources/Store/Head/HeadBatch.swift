/// The durable form of one append: every accepted sample of a batch (a scrape) in one head row,
/// bit-packed. Pure, so the format is tested without a database.
///
/// Format 2 (a database records its format as `meta.head_format`): the entry count, then per
/// entry the series id as a zig-zag delta from the previous entry's, one bit for "same
/// timestamp as the previous entry" (else a zig-zag delta), and the value either as a zig-zag
/// integer (a bit, then a varint: counters and most gauges are whole numbers) or as its exact 64
/// bits (stale markers included: SQLite would turn a REAL NaN into NULL). A scrape's ids run in
/// order and share one timestamp, so a sample of 500-series scrape of integer values costs about
/// 3.5 bytes, against 11 in format 1 (a full id, a byte of delta and 8 value bytes).
enum HeadBatch {
    /// The format `encode` writes.
    static let currentFormat = 2

    /// One sample of a batch with its series.
    struct Entry: Equatable {
        var series: Int64
        var sample: Sample
    }

    /// Values whose magnitude stays below 2^53 are whole numbers a double holds exactly.
    private static let largestExactInteger = 9_007_199_254_740_992.0

    /// Encodes entries in order.
    static func encode(_ entries: [Entry]) -> [UInt8] {
        var writer = BitWriter(capacity: entries.count * 4 + 4)
        writer.writeUVarint(UInt64(entries.count))
        var previousSeries: Int64 = 0
        var previousTime: Int64 = 0
        for entry in entries {
            writer.writeVarint(entry.series &- previousSeries)
            previousSeries = entry.series
            let time = entry.sample.timestamp
            if time == previousTime {
                writer.writeBit(false)
            } else {
                writer.writeBit(true)
                writer.writeVarint(time &- previousTime)
                previousTime = time
            }
            let value = entry.sample.value
            if value.rounded(.towardZero) == value, abs(value) < largestExactInteger, value.bitPattern == Double(Int64(value)).bitPattern {
                writer.writeBit(false)
                writer.writeVarint(Int64(value))
            } else {
                writer.writeBit(true)
                writer.writeBits(value.bitPattern, count: 64)
            }
        }
        return writer.bytes
    }

    /// The entries of `bytes` written in `format`, or nil when they are damaged.
    static func decode(_ bytes: [UInt8], format: Int = currentFormat) -> [Entry]? {
        guard format == currentFormat else { return decodeFormat1(bytes) }
        if bytes.isEmpty { return [] }
        var reader = BitReader(bytes)
        guard let count = reader.readUVarint(), count <= UInt64(bytes.count) * 8 else { return nil }
        var entries: [Entry] = []
        entries.reserveCapacity(Int(count))
        var series: Int64 = 0
        var time: Int64 = 0
        for _ in 0..<count {
            guard let seriesDelta = reader.readVarint(), let newTime = reader.readBit() else { return nil }
            series = series &+ seriesDelta
            if newTime {
                guard let delta = reader.readVarint() else { return nil }
                time = time &+ delta
            }
            guard let raw = reader.readBit() else { return nil }
            let value: Double
            if raw {
                guard let bits = reader.readBits(64) else { return nil }
                value = Double(bitPattern: bits)
            } else {
                guard let integer = reader.readVarint() else { return nil }
                value = Double(integer)
            }
            entries.append(Entry(series: series, sample: Sample(timestamp: time, value: value)))
        }
        // Only the last byte's padding may remain.
        guard reader.remainingBits < 8 else { return nil }
        return entries
    }

    /// Format 1 (before `meta.head_format`): per entry a uvarint id, a zig-zag timestamp delta
    /// and the 8 value bytes. Read only to upgrade an older database's head.
    private static func decodeFormat1(_ bytes: [UInt8]) -> [Entry]? {
        var reader = BitReader(bytes)
        var entries: [Entry] = []
        var previous: Int64 = 0
        while reader.remainingBits > 0 {
            guard let series = reader.readUVarint(), let delta = reader.readVarint(), let bits = reader.readBits(64)
            else { return nil }
            previous = previous &+ delta
            entries.append(Entry(series: Int64(bitPattern: series), sample: Sample(timestamp: previous, value: Double(bitPattern: bits))))
        }
        return entries
    }
}
