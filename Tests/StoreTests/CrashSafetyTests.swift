import Foundation
import TestSupport
import Testing

@testable import Store

private let ballastBinary = BallastExecutable.path

@Suite struct CrashSafetyTests {
    private static let seriesCount = 100
    private static let steps = 3_000

    private static func value(series: Int, step: Int) -> Double { Double(series * 100_000 + step) }

    /// One family per series in file order, so a committed prefix is easy to predict.
    private static func writeInput(to path: String) throws {
        var text = ""
        text.reserveCapacity(seriesCount * steps * 40)
        for series in 0..<seriesCount {
            for step in 0..<steps {
                text += "m_\(series){i=\"x\"} \(Int(value(series: series, step: step))) \(1_600_000_000 + step * 15)\n"
            }
        }
        text += "# EOF\n"
        try text.write(toFile: path, atomically: false, encoding: .utf8)
    }

    private static func chunkCount(_ path: String) -> Int {
        guard let store = try? Store(path: path, readOnly: true) else { return 0 }
        return (try? store.statistics().chunkCount) ?? 0
    }

    private static func runImport(_ binary: String, database: String, input: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["import", "--db", database, "--batch-size", "5000", input]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test(.enabled(if: ballastBinary != nil, "\(BallastExecutable.missingReason)"))
    func killingAnImportMidwayLeavesASoundStoreThatReRunningCompletes() throws {
        let binary = try #require(ballastBinary)
        let directory = try TemporaryDirectory()
        let input = directory.file("input.om")
        let database = directory.file("ballast.db")
        try Self.writeInput(to: input)

        let process = try Self.runImport(binary, database: database, input: input)
        var polls = 0
        while process.isRunning && Self.chunkCount(database) == 0 && polls < 2_000 {
            usleep(5_000)
            polls += 1
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()

        let store = try Store(path: database)
        #expect(try store.integrityCheck() == "ok")
        var storedBefore = 0
        for series in try store.series(matching: [], from: .min, through: .max) {
            let index = Int(series.labels.metricName!.dropFirst(2))!
            let expected = (0..<series.samples.count).map {
                Sample(timestamp: Int64(1_600_000_000 + $0 * 15) * 1_000, value: Self.value(series: index, step: $0))
            }
            #expect(series.samples == expected, "series \(index) holds a prefix of its samples")
            storedBefore += series.samples.count
        }
        #expect(storedBefore > 0)

        let rerun = try Self.runImport(binary, database: database, input: input)
        rerun.waitUntilExit()
        #expect(rerun.terminationStatus == 0)
        let complete = try Store(path: database, readOnly: true).series(matching: [], from: .min, through: .max)
        #expect(complete.count == Self.seriesCount)
        #expect(complete.allSatisfy { $0.samples.count == Self.steps })
    }
}
