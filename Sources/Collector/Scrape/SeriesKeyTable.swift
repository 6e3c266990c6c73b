import Exposition
import Store

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A target's series keys (the bytes of a `RawSeriesKey`), each in a slot that stays its own
/// until it is removed, found by slot or by content. The keys sit back to back in one buffer
/// and the index is an open-addressing table of slots: a key costs its bytes and 16 to 24 bytes
/// more (its span and a bucket or two), where a key of its own plus a dictionary entry cost its
/// bytes and about 60 more (by heaptrack: 96 bytes for a 70-byte key, 33 a dictionary entry),
/// and comparing a sample with a slot's key is a `memcmp` with nothing retained.
struct SeriesKeyTable: Sendable {
    private struct Span: Sendable {
        /// 32 bits each, so 100,000 spans take 0.8 MB rather than 1.6: a target's keys come
        /// from bodies under its size limit.
        private var storedStart: UInt32
        private var storedCount: UInt32

        init(start: Int, count: Int) {
            storedStart = UInt32(start)
            storedCount = UInt32(count)
        }

        var start: Int {
            get { Int(storedStart) }
            set { storedStart = UInt32(newValue) }
        }

        /// 0 in a free slot: no key is empty, a sample always has a name.
        var count: Int { Int(storedCount) }
    }

    /// Every key's bytes; a removed key's stay until `compact` drops them.
    private var bytes: [UInt8] = []
    private var spans: [Span] = []
    private var freeSlots: [Int] = []
    /// Slot + 1 per bucket, 0 when empty; linear probing; a power of two at least twice `count`.
    private var buckets: [Int32] = []
    /// Bytes of removed keys still in `bytes`.
    private var removedBytes = 0
    /// Keys held.
    private(set) var count = 0

    /// One past the highest slot ever used: slots run from 0 to here, some of them free.
    var slotLimit: Int { spans.count }

    /// Whether `slot` holds a key.
    func isOccupied(_ slot: Int) -> Bool { spans[slot].count > 0 }

    /// Whether `slot`'s key is `sample`'s series.
    func key(at slot: Int, matches sample: SampleView) -> Bool {
        withKey(spans[slot]) { RawSeriesKey.matches($0, sample) }
    }

    /// `body` over `slot`'s key.
    func withKey<Result>(at slot: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        withKey(spans[slot], body)
    }

    /// The slot holding `key`, or nil.
    func slot(of key: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !buckets.isEmpty, key.count > 0 else { return nil }
        let mask = buckets.count - 1
        var bucket = Self.hash(key) & mask
        return bytes.withUnsafeBufferPointer { stored in
            while true {
                let entry = Int(buckets[bucket])
                guard entry > 0 else { return nil }
                let span = spans[entry - 1]
                if span.count == key.count && memcmp(stored.baseAddress! + span.start, key.baseAddress!, key.count) == 0 {
                    return entry - 1
                }
                bucket = (bucket + 1) & mask
            }
        }
    }

    /// Adds `key`, which must be absent and not empty, and returns its slot: a free one first.
    mutating func insert(_ key: UnsafeBufferPointer<UInt8>) -> Int {
        precondition(key.count > 0, "a series key is never empty")
        if (count + 1) * 2 > buckets.count { rehash(capacity: max(16, buckets.count * 2)) }
        let span = Span(start: bytes.count, count: key.count)
        bytes.append(contentsOf: key)
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = free
            spans[slot] = span
        } else {
            slot = spans.count
            spans.append(span)
        }
        place(slot, hash: Self.hash(key))
        count += 1
        return slot
    }

    /// Frees `slot` (its bytes stay until `compact`).
    mutating func remove(_ slot: Int) {
        let span = spans[slot]
        guard span.count > 0 else { return }
        let mask = buckets.count - 1
        var hole = keyHash(of: span) & mask
        while Int(buckets[hole]) != slot + 1 { hole = (hole + 1) & mask }
        // Backward-shift deletion: later entries of the probe run move into the hole unless
        // their home bucket lies after it (cyclically), so no lookup meets a gap early.
        var next = hole
        while true {
            next = (next + 1) & mask
            let entry = Int(buckets[next])
            guard entry > 0 else { break }
            let home = keyHash(of: spans[entry - 1]) & mask
            let staysPut = hole <= next ? (hole < home && home <= next) : (hole < home || home <= next)
            if staysPut { continue }
            buckets[hole] = buckets[next]
            hole = next
        }
        buckets[hole] = 0
        spans[slot] = Span(start: 0, count: 0)
        freeSlots.append(slot)
        removedBytes += span.count
        count -= 1
    }

    /// Drops the bytes of removed keys once they are most of the buffer and, when `fitting`,
    /// gives back the room the buffers grew by beyond what they hold (a target's keys arrive at
    /// its first scrape, so growth by doubling would otherwise keep up to half of each buffer
    /// empty).
    mutating func compact(fitting: Bool) {
        let liveBytes = bytes.count - removedBytes
        if removedBytes > liveBytes {
            var packed: [UInt8] = []
            packed.reserveCapacity(liveBytes)
            for slot in spans.indices where spans[slot].count > 0 {
                let span = spans[slot]
                spans[slot].start = packed.count
                withKey(span) { packed.append(contentsOf: $0) }
            }
            bytes = packed
            removedBytes = 0
        }
        guard fitting else { return }
        bytes = bytes.fitted()
        spans = spans.fitted()
    }

    /// Swift's `Hasher`: seeded per process, so a target cannot choose series that collide and
    /// make every lookup walk the whole table.
    private static func hash(_ key: UnsafeBufferPointer<UInt8>) -> Int {
        var hasher = Hasher()
        hasher.combine(bytes: UnsafeRawBufferPointer(key))
        return hasher.finalize()
    }

    private func keyHash(of span: Span) -> Int {
        withKey(span, Self.hash)
    }

    /// Hands the bytes of the key at `span` to `body`, without copying them.
    private func withKey<Result>(_ span: Span, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[span.start..<span.start + span.count])) }
    }

    private mutating func place(_ slot: Int, hash: Int) {
        let mask = buckets.count - 1
        var bucket = hash & mask
        while buckets[bucket] != 0 { bucket = (bucket + 1) & mask }
        buckets[bucket] = Int32(slot + 1)
    }

    private mutating func rehash(capacity: Int) {
        buckets = [Int32](repeating: 0, count: capacity)
        for slot in spans.indices where spans[slot].count > 0 { place(slot, hash: keyHash(of: spans[slot])) }
    }
}
