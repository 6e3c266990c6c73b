#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the parser knows about one metric family name.
struct FamilyRecord: BitwiseCopyable {
    var nameOffset: Int
    var nameCount: Int
    var hash: UInt64
    /// The declared type; nil until a TYPE line or the first sample (which makes it untyped).
    var type: MetricType?
    var hasHelp = false
    var hasUnit = false
    var hasSamples = false
}

/// Every metric family name seen so far, keyed by its bytes. An open-addressing table over one
/// byte arena: looking a name up allocates nothing, and inserting grows buffers only rarely, so
/// the parser can resolve names per sample without creating strings.
struct FamilyTable: ~Copyable {
    private var arena = RawVector<UInt8>(capacity: 4096)
    private(set) var records = RawVector<FamilyRecord>(capacity: 64)
    private var slots = RawVector<Int32>(capacity: 128)
    private var mask = 127

    init() {
        for _ in 0...mask { slots.append(-1) }
    }

    /// The index of a name, or nil when it has not been seen.
    func find(_ name: UnsafeBufferPointer<UInt8>) -> Int? {
        let hash = ByteHashing.hash(name.baseAddress!, name.count, seed: 0)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let index = Int(slots[slot])
            if index < 0 { return nil }
            let record = records[index]
            if record.hash == hash && record.nameCount == name.count
                && ByteHashing.equal(arena.base + record.nameOffset, name.baseAddress!, name.count)
            {
                return index
            }
            slot = (slot + 1) & mask
        }
    }

    /// Adds a name not yet present and returns its index.
    mutating func insert(_ name: UnsafeBufferPointer<UInt8>, type: MetricType?) -> Int {
        if (records.count + 1) * 2 > mask + 1 { rehash() }
        let hash = ByteHashing.hash(name.baseAddress!, name.count, seed: 0)
        let offset = arena.count
        arena.append(name.baseAddress!, count: name.count)
        let index = records.count
        records.append(FamilyRecord(nameOffset: offset, nameCount: name.count, hash: hash, type: type))
        place(index, hash: hash)
        return index
    }

    /// The stored name of a family; valid until the next insert.
    func name(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        let record = records[index]
        return UnsafeBufferPointer(start: arena.base + record.nameOffset, count: record.nameCount)
    }

    subscript(index: Int) -> FamilyRecord {
        get { records[index] }
        set { records[index] = newValue }
    }

    private mutating func place(_ index: Int, hash: UInt64) {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(index)
    }

    private mutating func rehash() {
        let newSize = (mask + 1) * 2
        slots.removeAll()
        for _ in 0..<newSize { slots.append(-1) }
        mask = newSize - 1
        for index in 0..<records.count { place(index, hash: records[index].hash) }
    }
}
