import Testing

@testable import Collector

/// When a target is scraped within its interval, and the timestamp its samples get.
@Suite struct ScrapeOffsetTests {
    @Test func aTargetsOffsetIsStableAndWithinItsInterval() {
        let keys = (0..<200).map { "http://127.0.0.1:\(21_000 + $0)/metrics" }
        let offsets = keys.map { ScrapeOffset.offset(of: $0, interval: 1_000) }
        #expect(offsets == keys.map { ScrapeOffset.offset(of: $0, interval: 1_000) })
        #expect(offsets.allSatisfy { $0 < 1_000 })
        // Spread over the interval rather than bunched at one phase.
        #expect(Set(offsets.map { $0 / 100 }).count == 10)
    }

    @Test func theNextScrapeIsTheFirstScheduledTimeNotYetScraped() {
        #expect(ScrapeOffset.next(after: 10_000, offset: 250, interval: 1_000, last: .min) == 10_250)
        #expect(ScrapeOffset.next(after: 10_250, offset: 250, interval: 1_000, last: 9_250) == 10_250)
        #expect(ScrapeOffset.next(after: 10_251, offset: 250, interval: 1_000, last: 10_250) == 11_250)
        // Done within the millisecond it was due: that time is not scraped twice.
        #expect(ScrapeOffset.next(after: 10_250, offset: 250, interval: 1_000, last: 10_250) == 11_250)
        #expect(ScrapeOffset.next(after: -10, offset: 250, interval: 1_000, last: .min) == 250)
    }

    @Test func aScrapeStartingWithinTwoMillisecondsOfItsScheduleIsStampedWithTheSchedule() {
        for started in Int64(9_998)...10_002 {
            #expect(ScrapeOffset.timestamp(started: started, scheduled: 10_000, interval: 1_000) == 10_000)
        }
        #expect(ScrapeOffset.timestamp(started: 10_003, scheduled: 10_000, interval: 1_000) == 10_003)
        #expect(ScrapeOffset.timestamp(started: 9_997, scheduled: 10_000, interval: 1_000) == 9_997)
    }

    @Test func aShortIntervalKeepsTheTimeTheScrapeStarted() {
        #expect(ScrapeOffset.timestamp(started: 10_001, scheduled: 10_000, interval: 200) == 10_001)
        #expect(ScrapeOffset.timestamp(started: 10_001, scheduled: 10_000, interval: 201) == 10_000)
    }
}
