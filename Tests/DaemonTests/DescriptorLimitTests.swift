import Testing

@testable import Daemon

/// How the daemon shares its open-file limit between scrapes, API clients and the rest.
@Suite struct DescriptorLimitTests {
    @Test func scrapesGetHalfAndClientsAQuarterOfWhatTheReserveLeaves() {
        let budget = DescriptorLimit.budget(limit: 1_024)
        #expect(budget.scrapeConnections == Int(1_024 - DescriptorLimit.reserve) / 2)
        #expect(budget.apiConnections == Int(1_024 - DescriptorLimit.reserve) / 4)
        #expect(UInt64(budget.scrapeConnections + budget.apiConnections) + DescriptorLimit.reserve <= 1_024)
    }

    @Test func aLimitBelowTheReserveStillLeavesOneConnectionEach() {
        #expect(DescriptorLimit.budget(limit: 64) == DescriptorLimit.Budget(scrapeConnections: 1, apiConnections: 1))
        #expect(DescriptorLimit.budget(limit: 0) == DescriptorLimit.Budget(scrapeConnections: 1, apiConnections: 1))
    }

    @Test func raisingReportsTheLimitInForce() throws {
        let change = try #require(DescriptorLimit.raiseToHardLimit())
        #expect(change.after >= change.before)
        // Raised once, the limit stays where it is.
        let again = try #require(DescriptorLimit.raiseToHardLimit())
        #expect(again.before == change.after && again.after == change.after)
    }
}
