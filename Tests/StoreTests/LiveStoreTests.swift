import Foundation
import Synchronization
import TestSupport
import Testing

@testable import Store

/// The store as the daemon runs it: one writer appending continuously while readers query,
/// maintenance cuts and prunes, and another connection imports.
@Suite struct LiveStoreTests {
    private let directory: TemporaryDirectory
    private let path: String

    init() throws {
        directory = try TemporaryDirectory()
        path = directory.file("ballast.db")
    }

    private static let seriesCount = 50

    /// Scrape `step` of the test target: every series at the same time, with the step as value.
    private static func scrape(_ step: Int) -> [LabeledSample] {
        (0..<seriesCount).map { series in
            LabeledSample(labels: Labels(name: "m", ["s": String(series)]), sample: Sample(timestamp: Int64(step) * 1_000, value: Double(step)))
        }
    }

    /// The newest step every series holds, or nil when the series disagree (a torn scrape).
    private static func newestStep(_ store: Store) throws -> Int? {
        let series = try store.series(matching: [], from: .min, through: .max)
        guard series.count == seriesCount || series.isEmpty else { return nil }
        let newest = Set(series.map { $0.samples.last?.value ?? -1 })
        guard newest.count <= 1 else { return nil }
        // A reader may look before the first scrape is committed: nothing yet, step -1.
        guard let step = newest.first.map(Int.init), step >= 0 else { return -1 }
        // Every step up to the newest, in order, with nothing missing (chunks and head merged).
        let expected = (0...step).map(Double.init)
        guard series.allSatisfy({ $0.samples.map(\.value) == expected }) else { return nil }
        return step
    }

    /// At shutdown the writer takes no scrape from a deadline on, however many wait for it;
    /// what it stored before stays, and the store still closes whole.
    @Test func scrapesPastTheAppendDeadlineAreRefusedAndTheStoreClosesWhole() async throws {
        let live = try LiveStore(path: path)
        try await live.writer.appendScrape(target: "t", samples: Self.scrape(0), timestamp: 0)
        live.writer.endAppends(at: .now)
        do {
            try await live.writer.appendScrape(target: "t", samples: Self.scrape(1), timestamp: 1_000)
            Issue.record("a scrape past the deadline was stored")
        } catch .closing {
        } catch {
            Issue.record("\(error)")
        }
        #expect(try await live.writer.close() == .complete)
        #expect(try Self.newestStep(Store(path: path, readOnly: true)) == 0)
    }

    /// A close with no time left writes nothing and leaves the WAL: the next start has every
    /// sample from the head rows.
    @Test func aCloseOutOfTimeLeavesEverySampleToTheNextStart() async throws {
        do {
            let live = try LiveStore(path: path)
            for step in 0..<3 { try await live.writer.appendScrape(target: "t", samples: Self.scrape(step), timestamp: Int64(step) * 1_000) }
            #expect(try await live.writer.close(until: .now) == .headRowsLeft)
        }
        let reopened = try Store(path: path)
        #expect(try Self.newestStep(reopened) == 2)
        #expect(try reopened.statistics().chunkCount == 0)
    }

    /// Checkpoints run beside the writer while it goes on appending: what was committed reaches
    /// the database file, nothing is lost or torn, and the WAL starts over after each instead of
    /// growing with every scrape committed during a checkpoint.
    @Test func checkpointsBesideTheWriterKeepTheWALBounded() async throws {
        let live = try LiveStore(path: path)
        func walSize() throws -> Int { (try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0 }
        var sizes: [Int] = []
        var copied = 0
        for round in 0..<8 {
            let appending = Task {
                for step in (round * 25)..<(round * 25 + 25) {
                    try await live.writer.appendScrape(target: "t", samples: Self.scrape(step), timestamp: Int64(step) * 1_000)
                }
            }
            copied += try await live.passiveCheckpoint()
            try await appending.value
            sizes.append(try walSize())
        }
        #expect(copied > 0, "the committed pages reached the database file")
        #expect(try live.read { try Self.newestStep($0) } == 199)
        #expect(sizes[7] <= sizes[1] * 2, "the WAL started over instead of growing: \(sizes)")
    }

    /// Another process holding the write lock (an import) makes the writer wait, never readers:
    /// the writer begins its transaction before it takes the head's lock.
    @Test func aWriterWaitingForAnotherProcessHoldsNoReaderBack() async throws {
        let live = try LiveStore(path: path)
        try await live.writer.appendScrape(target: "t", samples: Self.scrape(0), timestamp: 0)
        let other = try Database(path: path)
        try other.execute("BEGIN IMMEDIATE")
        let append = Task { try await live.writer.appendScrape(target: "t", samples: Self.scrape(1), timestamp: 1_000) }
        // The other process' side runs on a thread of its own, so its COMMIT never waits for a
        // cooperative thread (a busy test run can hold them all): while the writer waits for it,
        // a reader still answers, with the committed scrape.
        let seen = Mutex<Int??>(nil)
        let committed = DispatchSemaphore(value: 0)
        let handed = HandedOver(other)
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 0.3)
            seen.withLock { $0 = .some(try? live.read { try Self.newestStep($0) }) }
            _ = try? handed.database.execute("COMMIT")
            committed.signal()
        }
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                committed.wait()
                continuation.resume()
            }
        }
        #expect(seen.withLock { $0 } == .some(0))
        #expect(try await append.value.appended == Self.seriesCount)
        #expect(try live.read { try Self.newestStep($0) } == 1)
    }

    @Test func readersSeeEveryCommittedScrapeWholeWhileTheWriterAppendsAndMaintains() async throws {
        let live = try LiveStore(path: path, options: Store.Options(chunkSize: 7, blockRange: 40_000))
        let steps = 400
        let done = Flag()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for step in 0..<steps {
                    try await live.writer.appendScrape(target: "t", samples: Self.scrape(step), timestamp: Int64(step) * 1_000)
                    if step % 25 == 0 { try await live.writer.maintainHead(idleBefore: Int64(step) * 1_000) }
                }
                done.set()
            }
            for _ in 0..<2 {
                group.addTask {
                    var previous = -1
                    while !done.isSet {
                        let newest = try live.read { try Self.newestStep($0) }
                        #expect(newest != nil, "a reader saw a torn scrape or a gap")
                        #expect((newest ?? -1) >= previous, "a reader went back in time")
                        previous = newest ?? previous
                        await Task.yield()
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try live.read { try Self.newestStep($0) } == steps - 1)
        #expect(try await live.writer.statistics().chunkCount > 0)
    }

    @Test func anImportOnAnotherConnectionInterleavesWithAppendsAndQueries() async throws {
        let live = try LiveStore(path: path)
        let imported = 300_000
        try await withThrowingTaskGroup(of: Void.self) { [path] group in
            group.addTask {
                let importer = try BackfillImporter(store: try Store(path: path), batchSize: 50_000)
                for index in 0..<imported {
                    try importer.add(
                        Labels(name: "backfill", ["s": String(index % 100)]),
                        Sample(timestamp: Int64(index / 100) * 15_000, value: 1)
                    )
                }
                try importer.finish()
            }
            group.addTask {
                for step in 0..<200 {
                    let result = try await live.writer.appendScrape(
                        target: "t",
                        samples: Self.scrape(step),
                        timestamp: 1_700_000_000_000 + Int64(step) * 1_000
                    )
                    #expect(result.appended == Self.seriesCount)
                    _ = try live.read { try $0.series(matching: [LabelMatcher("__name__", .equal, "m")], from: .min, through: .max) }
                }
            }
            try await group.waitForAll()
        }
        let counts = try live.read { store in
            try store.series(matching: [], from: .min, through: .max).reduce(into: [String: Int]()) {
                $0[$1.labels.metricName ?? "", default: 0] += $1.samples.count
            }
        }
        #expect(counts == ["backfill": imported, "m": 200 * Self.seriesCount])
    }

    @Test func retentionAndMaintenanceBetweenAppendsLoseNothingInsideRetention() async throws {
        let live = try LiveStore(path: path, options: Store.Options(chunkSize: 5, blockRange: 20_000))
        let steps = 300
        for step in 0..<steps {
            try await live.writer.appendScrape(target: "t", samples: Self.scrape(step), timestamp: Int64(step) * 1_000)
            if step % 10 == 0 {
                try await live.writer.maintainHead(idleBefore: Int64(step) * 1_000 - 5_000)
                _ = try await live.writer.applyRetention(before: Int64(step) * 1_000 - 100_000, maximumBytes: nil)
            }
        }
        let retained = try live.read { store in
            try store.series(matching: [], from: Int64(steps - 100) * 1_000, through: .max).map { $0.samples.map(\.value) }
        }
        #expect(retained.count == Self.seriesCount)
        #expect(retained.allSatisfy { $0 == (steps - 100..<steps).map(Double.init) })
        try await live.writer.close()
        let reopened = try Store(path: path, readOnly: true)
        #expect(try reopened.statistics().headSampleCount == 0)
        #expect(
            try reopened.series(matching: [], from: Int64(steps - 100) * 1_000, through: .max).map(\.samples.count)
                == Array(repeating: 100, count: Self.seriesCount)
        )
    }
}

/// A flag one task sets and others poll.
private final class Flag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}

/// A connection handed to one other thread, which alone uses it from then on.
// @unchecked: the test never touches the connection after handing it over.
private final class HandedOver: @unchecked Sendable {
    let database: Database
    init(_ database: Database) { self.database = database }
}
