import Foundation
import TestSupport
import Testing

@testable import Store

@Suite struct StoreMaintenanceTests {
    private let directory: TemporaryDirectory
    private let path: String

    init() throws {
        directory = try TemporaryDirectory()
        path = directory.file("ballast.db")
    }

    @Test func retentionDropsWholeOldBlocksIdleHeadSeriesAndEmptySeries() throws {
        let store = try Store(path: path, options: Store.Options(chunkSize: 5, blockRange: 10))
        func samples(_ name: String, _ times: Range<Int64>) -> [LabeledSample] {
            times.map { LabeledSample(labels: Labels(name: name), sample: Sample(timestamp: $0, value: 1)) }
        }
        try store.append(samples("old", 0..<10) + samples("new", 100..<112))
        try store.flushHead()
        try store.append(samples("new", 112..<114))
        #expect(try store.deleteData(before: 105) == RetentionResult(chunksDeleted: 2, seriesDeleted: 1))
        #expect(try store.labelSets(matching: []) == [Labels(name: "new")])
        #expect(try store.series(matching: [], from: .min, through: .max).first?.samples.count == 14)
        // The open chunk holding 112 and 113 is kept whole: reads filter by time anyway.
        #expect(try store.deleteData(before: 113) == RetentionResult(chunksDeleted: 2))
        let kept = try store.series(matching: [], from: .min, through: .max).first?.samples.map(\.timestamp)
        #expect(kept == [110, 111, 112, 113])
        try store.append(samples("gone", 200..<202))
        #expect(try store.deleteData(before: 300) == RetentionResult(chunksDeleted: 1, headSamplesDeleted: 4, seriesDeleted: 2))
        #expect(try store.labelSets(matching: []).isEmpty)
        #expect(try store.integrityCheck() == "ok")
    }

    @Test func vacuumKeepsEverySampleAndNeverGrowsTheFile() throws {
        let store = try Store(path: path, options: Store.Options(chunkSize: 8, blockRange: 1_000_000))
        let importer = try BackfillImporter(store: store, batchSize: 100)
        for time in 0..<400 {
            for series in 0..<20 {
                try importer.add(Labels(name: "m", ["s": String(series)]), Sample(timestamp: Int64(time), value: Double(time % 7)))
            }
        }
        try importer.finish()
        try store.checkpoint()
        let before = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        try store.vacuum()
        let after = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        #expect(after <= before)
        #expect(try store.integrityCheck() == "ok")
        let series = try store.series(matching: [], from: .min, through: .max)
        #expect(series.count == 20 && series.allSatisfy { $0.samples.count == 400 })
    }

    @Test func rollupsSummariseMinutesAndHoursLeavingNaNOut() {
        let samples = [
            Sample(timestamp: 0, value: 1), Sample(timestamp: 30_000, value: 3), Sample(timestamp: 59_999, value: .nan),
            Sample(timestamp: 60_000, value: -2), .staleMarker(at: 3_600_000),
        ]
        #expect(
            Store.rollups(of: samples, resolution: .minute) == [
                Rollup(timestamp: 0, min: 1, max: 3, sum: 4, count: 2),
                Rollup(timestamp: 60_000, min: -2, max: -2, sum: -2, count: 1),
            ]
        )
        #expect(Store.rollups(of: samples, resolution: .hour) == [Rollup(timestamp: 0, min: -2, max: 3, sum: 2, count: 3)])
    }

    @Test func rollupsAreBuiltFromStoredSamplesAndRebuiltIdempotently() throws {
        let store = try Store(path: path)
        let labels = Labels(name: "m", ["job": "a"])
        try store.append((0..<240).map { LabeledSample(labels: labels, sample: Sample(timestamp: Int64($0) * 15_000, value: Double($0))) })
        try store.buildRollups(from: 0, through: 3_600_000)
        try store.buildRollups(from: 0, through: 3_600_000)
        let hours = try store.rollups(matching: [LabelMatcher("job", .equal, "a")], resolution: .hour, from: 0, through: .max)
        #expect(hours == [SeriesRollups(labels: labels, rollups: [Rollup(timestamp: 0, min: 0, max: 239, sum: 28_680, count: 240)])])
        let minutes = try store.rollups(matching: [], resolution: .minute, from: 0, through: .max).first?.rollups ?? []
        #expect(minutes.count == 60)
        #expect(minutes[1] == Rollup(timestamp: 60_000, min: 4, max: 7, sum: 22, count: 4))
    }

    @Test func theJournalAnswersByPoolKindTimeAndLatestN() throws {
        let store = try Store(path: path)
        let entries = [
            JournalEntry(timestamp: 2_000, pool: "web", kind: "scale", reason: "cpu 0.9 > 0.6", data: #"{"scale":{"from":2,"to":3}}"#),
            JournalEntry(timestamp: 1_000, pool: "web", kind: "weights", reason: "headroom", data: #"{"weights":{}}"#),
            JournalEntry(timestamp: 1_500, pool: "api", kind: "failover", reason: "primary down", data: "{}"),
            JournalEntry(timestamp: 3_000, pool: "web", kind: "weights", reason: "headroom", data: "{}"),
        ]
        for entry in entries { try store.appendJournal(entry) }
        #expect(try store.journal(pool: "web") == [entries[1], entries[0], entries[3]])
        #expect(try store.journal(since: 1_200).map(\.pool) == ["api", "web", "web"])
        #expect(try store.journal(kind: "weights").map(\.timestamp) == [1_000, 3_000])
        #expect(try store.journal(pool: "web", limit: 2, newestFirst: true) == [entries[3], entries[0]])
        #expect(try Store(path: path, readOnly: true).journal(limit: 1) == [entries[1]])
        #expect(try store.deleteData(before: 2_000).decisionsDeleted == 2)
        #expect(try store.journal().map(\.timestamp) == [2_000, 3_000])
    }

    @Test func engineStateIsKeptWithItsDecisionsInOneTransaction() throws {
        let store = try Store(path: path)
        let state = StoredEngineState(pool: "web", version: 3, timestamp: 5_000, data: Array("{\"holdDown\":1}".utf8))
        let decision = JournalEntry(timestamp: 5_000, pool: "web", kind: "failover", reason: "primary down", data: "{}")
        try store.recordEvaluation(decisions: [decision], state: state)
        try store.recordEvaluation(decisions: [], state: StoredEngineState(pool: "api", version: 3, timestamp: 5_000, data: [1, 2]))
        let reopened = try Store(path: path)
        #expect(try reopened.engineStates().map(\.pool) == ["api", "web"])
        #expect(try reopened.engineStates().last == state)
        #expect(try reopened.journal() == [decision])

        try store.database.execute("CREATE TRIGGER fail BEFORE INSERT ON engine_state BEGIN SELECT RAISE(ABORT, 'injected'); END")
        let later = JournalEntry(timestamp: 6_000, pool: "web", kind: "failback", reason: "primary back", data: "{}")
        #expect(throws: StoreError.self) { try store.recordEvaluation(decisions: [later], state: state) }
        #expect(try store.journal() == [decision])
        try store.deleteEngineState(pool: "api")
        #expect(try store.engineStates() == [state])
    }

    @Test func aRoundOneJournalIsMigratedIntoDecisionData() throws {
        do {
            let database = try Database(path: path)
            try database.execute(Schema.migrations[0])
            try database.execute("INSERT INTO meta (key, value) VALUES ('schema_version', '1')")
            try database.execute("INSERT INTO decisions (t, pool, kind, before, after, reason) VALUES (7, 'web', 'scale', '2', '3', 'cpu')")
        }
        let store = try Store(path: path)
        #expect(try Schema.readVersion(store.database) == Schema.currentVersion)
        #expect(try store.journal() == [JournalEntry(timestamp: 7, pool: "web", kind: "scale", reason: "cpu", data: #"{"before":"2","after":"3"}"#)])
    }

    @Test func aDatabaseFromANewerBallastIsRefused() throws {
        do {
            let store = try Store(path: path)
            try store.database.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
        }
        #expect {
            try Store(path: path)
        } throws: { error in
            guard case StoreError.newerSchema(_, 999, Schema.currentVersion) = error else { return false }
            return true
        }
    }

    @Test func reopeningAMigratedDatabaseKeepsItsVersion() throws {
        _ = try Store(path: path)
        let store = try Store(path: path)
        #expect(try Schema.readVersion(store.database) == Schema.currentVersion)
    }

    @Test func aFailedBatchLeavesNothingBehindInMemoryOrOnDisk() throws {
        let store = try Store(path: path)
        try store.append([LabeledSample(labels: Labels(name: "m"), sample: Sample(timestamp: 1, value: 1))])
        try store.database.execute("CREATE TRIGGER fail BEFORE INSERT ON head WHEN NEW.t = 3 BEGIN SELECT RAISE(ABORT, 'injected'); END")
        let batch = [2, 3].map { LabeledSample(labels: Labels(name: "m"), sample: Sample(timestamp: Int64($0), value: 1)) }
        #expect(throws: StoreError.self) { try store.append(batch) }
        #expect(try store.series(matching: [], from: .min, through: .max).first?.samples.map(\.timestamp) == [1])
        try store.database.execute("DROP TRIGGER fail")
        #expect(try store.append(batch).appended == 2)
    }
}
