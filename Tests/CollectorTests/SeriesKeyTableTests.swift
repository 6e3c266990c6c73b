import Exposition
import Store
import Testing

@testable import Collector

/// The series keys a scrape loop keeps in one buffer: found by content and by slot, removed
/// without breaking the probe runs of the keys that stay, compacted without moving any slot.
@Suite struct SeriesKeyTableTests {
    private func key(_ number: Int) -> [UInt8] { Array("series_\(number){x=\"\(number % 7)\"}".utf8) }

    private func slot(of key: [UInt8], in table: SeriesKeyTable) -> Int? {
        key.withUnsafeBufferPointer { table.slot(of: $0) }
    }

    private func insert(_ key: [UInt8], into table: inout SeriesKeyTable) -> Int {
        key.withUnsafeBufferPointer { table.insert($0) }
    }

    /// Whether `slot`'s key is the series of the one sample `line` holds.
    private func key(at slot: Int, in table: SeriesKeyTable, matches line: String) throws -> Bool {
        struct Match: ExpositionVisitor {
            let table: SeriesKeyTable
            let slot: Int
            var matched = false
            mutating func visitSample(_ sample: SampleView) throws { matched = table.key(at: slot, matches: sample) }
        }
        var visitor = Match(table: table, slot: slot)
        var parser = ExpositionParser(format: .prometheusText)
        try Array((line + "\n").utf8).withUnsafeBufferPointer { try parser.parse($0, into: &visitor) }
        return visitor.matched
    }

    @Test func everyInsertedKeyIsFoundInItsOwnSlotAndNoOtherIs() {
        var table = SeriesKeyTable()
        let slots = (0..<1_000).map { insert(key($0), into: &table) }
        #expect(slots == Array(0..<1_000))
        #expect(table.count == 1_000)
        for number in 0..<1_000 { #expect(slot(of: key(number), in: table) == number) }
        #expect(slot(of: key(1_000), in: table) == nil)
        #expect(slot(of: Array("series_1".utf8), in: table) == nil)
    }

    @Test func removingKeysLeavesEveryOtherKeyFindableAndReusesTheFreedSlots() {
        var table = SeriesKeyTable()
        for number in 0..<2_000 { _ = insert(key(number), into: &table) }
        for number in stride(from: 0, to: 2_000, by: 3) { table.remove(number) }
        for number in 0..<2_000 {
            let expected = number % 3 == 0 ? nil : number
            #expect(slot(of: key(number), in: table) == expected, "key \(number)")
            #expect(table.isOccupied(number) == (expected != nil))
        }
        let reused = insert(key(5_000), into: &table)
        #expect(reused % 3 == 0 && reused < 2_000)
        #expect(slot(of: key(5_000), in: table) == reused)
        #expect(table.count == 2_000 - 667 + 1)
    }

    @Test func compactingDropsRemovedBytesAndKeepsEverySlot() {
        var table = SeriesKeyTable()
        for number in 0..<600 { _ = insert(key(number), into: &table) }
        for number in 0..<500 { table.remove(number) }
        table.compact(fitting: true)
        for number in 500..<600 { #expect(slot(of: key(number), in: table) == number) }
        for number in 0..<500 { #expect(slot(of: key(number), in: table) == nil) }
        let again = insert(key(0), into: &table)
        #expect(slot(of: key(0), in: table) == again)
    }

    @Test func aSlotsKeyMatchesItsOwnSampleOnly() throws {
        var table = SeriesKeyTable()
        struct KeyOf: ExpositionVisitor {
            var key = RawSeriesKey()
            mutating func visitSample(_ sample: SampleView) throws { key.set(sample) }
        }
        for line in ["a{x=\"1\"} 1", "a{x=\"12\"} 1"] {
            var visitor = KeyOf()
            var parser = ExpositionParser(format: .prometheusText)
            try Array((line + "\n").utf8).withUnsafeBufferPointer { try parser.parse($0, into: &visitor) }
            _ = insert(visitor.key.bytes, into: &table)
        }
        #expect(try key(at: 0, in: table, matches: "a{x=\"1\"} 5"))
        #expect(try !key(at: 0, in: table, matches: "a{x=\"12\"} 5"))
        #expect(try key(at: 1, in: table, matches: "a{x=\"12\"} 5"))
        #expect(try !key(at: 1, in: table, matches: "a 5"))
    }
}
