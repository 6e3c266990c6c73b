/// The durable form of one append: every accepted sample of a batch (a scrape) in one head row,
/// as series id, timestamp delta and raw value bits. About 11 bytes a sample instead of a row
/// each (~26), and one insert per scrape. Pure, so the format is tested without a database.
enum HeadBatch {
    /// One sample of a batch with its series.
    struct Entry: Equatable {
        var series: Int64
        var sample: Sample
    }

    /// Encodes entries in order; timestamps are deltas from the previous entry (zero within a
    /// scrape), values their exact bits (stale markers included).
    static func encode(_ entries: [Entry]) -> [UInt8] {
        var writer = BitWriter(capacity: entries.count * 11)
        var previous: Int64 = 0
        for entry in entries {
            writer.writeUVarint(UInt64(bitPattern: entry.series))
            writer.writeVarint(entry.sample.timestamp &- previous)
            writer.writeBits(entry.sample.value.bitPattern, count: 64)
            previous = entry.sample.timestamp
        }
        return writer.bytes
    }

    /// The entries of `bytes`, or nil when they are damaged.
    static func decode(_ bytes: [UInt8]) -> [Entry]? {
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
