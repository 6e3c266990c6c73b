/// The last few sample names of the text format and the family each resolved to. Runs of one
/// metric and the `_bucket`/`_sum`/`_count` rotation of histograms and summaries then skip the
/// family-table lookup. Entries never go stale: a name that resolved once resolves the same way
/// for the rest of the exposition (families are only added, and only for names that resolve to
/// nothing else).
struct SampleNameCache: ~Copyable {
    struct Entry: BitwiseCopyable {
        var count = -1
        var family = -1
        var role = SampleRole.plain
    }

    private static let slots = 4
    private static let maximumNameLength = 256
    private var names = RawVector<UInt8>(capacity: slots * maximumNameLength)
    private var entries = RawVector<Entry>(capacity: slots)
    private var next = 0

    init() {
        for _ in 0..<Self.slots { entries.append(Entry()) }
        names.reserve(Self.slots * Self.maximumNameLength)
    }

    /// The cached resolution of a name, most recent entries first.
    @inline(__always)
    func lookup(_ name: UnsafeBufferPointer<UInt8>) -> Entry? {
        var slot = next
        for _ in 0..<Self.slots {
            slot = slot == 0 ? Self.slots - 1 : slot - 1
            let entry = entries[slot]
            if entry.count == name.count
                && ByteHashing.equal(names.base + slot * Self.maximumNameLength, name.baseAddress!, name.count)
            {
                return entry
            }
        }
        return nil
    }

    /// Remembers a resolution, replacing the oldest entry; very long names are not cached.
    mutating func insert(_ name: UnsafeBufferPointer<UInt8>, family: Int, role: SampleRole) {
        guard name.count <= Self.maximumNameLength else { return }
        (names.base + next * Self.maximumNameLength).update(from: name.baseAddress!, count: name.count)
        entries[next] = Entry(count: name.count, family: family, role: role)
        next = (next + 1) % Self.slots
    }
}
