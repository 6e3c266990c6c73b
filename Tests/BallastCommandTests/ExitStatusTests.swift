import Testing

/// DESIGN.md §3: every command exits 0 on success, 1 on invalid input and 2 on usage errors.
@Suite(.enabled(if: BallastProcess.binary != nil, "needs the ballast executable: run swift build --build-tests first"))
struct ExitStatusTests {
    @Test func anUnknownOptionIsAUsageErrorWithStatusTwo() throws {
        let outcome = try BallastProcess.run(["parse-metrics", "--no-such-flag", "-"])
        #expect(outcome.status == 2)
        #expect(outcome.standardError.contains("--no-such-flag"))
    }

    @Test func aMissingArgumentIsAUsageErrorWithStatusTwo() throws {
        #expect(try BallastProcess.run(["parse-metrics"]).status == 2)
        #expect(try BallastProcess.run(["import"]).status == 2)
    }

    @Test func aScrapeBodyLimitOutsideZeroToOneGibibyteIsAUsageError() throws {
        for limit in ["-1", "\(1 << 30 + 1)"] {
            let outcome = try BallastProcess.run(["scrape", "http://127.0.0.1:1/metrics", "--body-size-limit=\(limit)"])
            #expect(outcome.status == 2, "--body-size-limit \(limit)")
            #expect(outcome.standardError.contains("--body-size-limit must be between 0 and 1073741824 bytes"))
        }
    }

    @Test func helpExitsZeroAndListsEveryCommand() throws {
        let outcome = try BallastProcess.run(["--help"])
        #expect(outcome.status == 0)
        for command in ["parse-metrics", "import", "export", "query", "check", "run", "scrape", "status", "failover", "failback", "drain", "undrain"]
        {
            #expect(outcome.standardOutput.contains(command), "help lists \(command)")
        }
    }

    @Test func noSubcommandPrintsTheHelpAndIsAUsageError() throws {
        let outcome = try BallastProcess.run([])
        #expect(outcome.status == 2)
        #expect(outcome.standardError.contains("SUBCOMMANDS"))
    }
}
