import Testing

@testable import Replay

@Suite struct TuneReportTests {
    private func entry(_ cost: Double, _ minutes: Double) -> TuneReport.Entry {
        var summary = ReplaySummary()
        summary.cost = cost
        summary.sloViolationMinutes = minutes
        return TuneReport.Entry(vary: [("x", "\(cost)")], summary: summary, meetsSLO: minutes == 0)
    }

    @Test func theParetoFrontKeepsOnlyVariantsNoOtherBeatsOnBoth() {
        let entries = [entry(10, 5), entry(12, 0), entry(9, 8), entry(11, 6), entry(15, 0)]
        #expect(TuneReport.front(entries) == [2, 0, 1])
    }
}
