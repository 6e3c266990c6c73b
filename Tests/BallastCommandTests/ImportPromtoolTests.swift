import Foundation
import TestSupport
import Testing

/// `ballast import` takes the same input `promtool tsdb create-blocks-from openmetrics` takes:
/// every backfill file of the corpus is given to both, and they must accept and refuse the same
/// files and, where they accept, store the same number of samples.
@Suite(
    .enabled(if: BallastProcess.binary != nil, "\(BallastExecutable.missingReason)"),
    .enabled(if: PrometheusPeer.isInstalled, "promtool is not installed (apt-get install prometheus)")
)
struct ImportPromtoolTests {
    @Test("import accepts and refuses what promtool does, sample for sample", arguments: IngestCorpus.backfills)
    func importAgreesWithPromtool(_ testCase: IngestCorpus.Case) throws {
        let directory = try TemporaryDirectory()
        let file = directory.file(testCase.fileName)
        try Data(testCase.bytes).write(to: URL(fileURLWithPath: file))

        let promtool = try Self.promtoolImport(file, into: directory.file("blocks"))
        let ballast = try BallastProcess.run(["import", "--db", directory.file("ballast.db"), file])
        let imported = Self.importedCount(ballast.standardOutput)

        #expect(
            (ballast.status == 0) == (promtool != nil),
            "promtool: \(promtool.map { "\($0) samples" } ?? "refused"); ballast: \(ballast.standardError)"
        )
        #expect(ballast.status == 0 || ballast.status == 1)
        guard let promtool, ballast.status == 0 else { return }
        if IngestCorpus.promtoolDropsSamples.contains(testCase.name) {
            #expect(imported == Self.sampleLines(testCase) && promtool < imported!)
        } else {
            #expect(imported == promtool)
        }
    }

    @Test("--strict refuses what the OpenMetrics spec forbids although promtool imports it")
    func strictImportIsALinter() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write(
            "fractional.om",
            "# TYPE h histogram\nh_bucket{le=\"0.005\"} 15.041 1700000000\nh_bucket{le=\"+Inf\"} 16 1700000000\nh_count 16 1700000000\n# EOF\n"
        )
        let strict = try BallastProcess.run(["import", "--strict", "--db", directory.file("strict.db"), file])
        #expect(strict.status == 1)
        #expect(strict.standardError.hasPrefix("\(file):2:"))
        let lenient = try BallastProcess.run(["import", "--db", directory.file("default.db"), file])
        #expect(lenient.status == 0)
        #expect(lenient.standardOutput.hasPrefix("imported 3 samples"))
    }

    /// Samples promtool wrote (the sum of the NUM SAMPLES column of the blocks it lists), or nil
    /// when it refused the file.
    private static func promtoolImport(_ file: String, into blocks: String) throws -> Int? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: PrometheusPeer.promtoolPath)
        process.arguments = ["tsdb", "create-blocks-from", "openmetrics", file, blocks]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        // BLOCK ULID  MIN TIME  MAX TIME  DURATION  NUM SAMPLES  NUM CHUNKS  NUM SERIES  SIZE
        return text.split(separator: "\n").dropFirst().reduce(0) { total, line in
            let columns = line.split(whereSeparator: \.isWhitespace)
            return total + (columns.count >= 5 ? Int(columns[4]) ?? 0 : 0)
        }
    }

    /// N from "imported N samples, ...".
    private static func importedCount(_ output: String) -> Int? {
        guard let range = output.range(of: "imported ") else { return nil }
        return Int(output[range.upperBound...].prefix { $0.isNumber })
    }

    private static func sampleLines(_ testCase: IngestCorpus.Case) -> Int {
        String(decoding: testCase.bytes, as: UTF8.self).split(separator: "\n").filter { !$0.hasPrefix("#") }.count
    }
}
