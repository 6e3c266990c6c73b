import Foundation
import TestSupport
import Testing

/// Every command that reads a file reads what a user can name — a FIFO, `/dev/stdin`, `-` — and
/// refuses a directory or a missing path with `PATH: what is wrong` and exit 1, without a crash
/// and without leaving a new empty database behind.
@Suite(.enabled(if: BallastProcess.binary != nil, "needs the ballast executable: run swift build --build-tests first"))
struct InputFileTests {
    static let exposition = "# TYPE a gauge\na{x=\"1\"} 1\n"
    static let openMetrics = "# TYPE a gauge\na 1 1700000000\n# EOF\n"
    static let policy = "pool: p\nbackends: {static: [\"127.0.0.1:1\"]}\n"

    /// A FIFO in `directory` that a background writer fills with `text` once opened.
    static func fifo(_ directory: TemporaryDirectory, _ text: String) throws -> String {
        let path = directory.file("fifo")
        #expect(mkfifo(path, 0o600) == 0)
        Thread.detachNewThread {
            if let handle = FileHandle(forWritingAtPath: path) {
                try? handle.write(contentsOf: Data(text.utf8))
                try? handle.close()
            }
        }
        return path
    }

    @Test func parseMetricsReadsAFIFOStandardInputAndDash() throws {
        let directory = try TemporaryDirectory()
        let fromFIFO = try BallastProcess.run(["parse-metrics", try Self.fifo(directory, Self.exposition)])
        #expect(fromFIFO.status == 0, "\(fromFIFO.standardError)")
        #expect(fromFIFO.standardOutput.contains(#""name":"a""#))
        for path in ["-", "/dev/stdin"] {
            let outcome = try BallastProcess.run(["parse-metrics", path], input: Self.exposition)
            #expect(outcome.status == 0, "\(path): \(outcome.standardError)")
            #expect(outcome.standardOutput.contains(#""labels":{"x":"1"}"#))
        }
    }

    @Test func checkReadsAPolicyFromAFIFO() throws {
        let directory = try TemporaryDirectory()
        let outcome = try BallastProcess.run(["check", try Self.fifo(directory, Self.policy)])
        #expect(outcome.status == 0, "\(outcome.standardError)")
    }

    @Test func aDirectoryOrAMissingPathIsRefusedWithWhatIsWrong() throws {
        let directory = try TemporaryDirectory()
        let refused = try BallastProcess.run(["parse-metrics", directory.path])
        #expect(refused.status == 1)
        #expect(refused.standardError == "\(directory.path): is a directory; give a file\n")
        let missing = try BallastProcess.run(["parse-metrics", directory.file("nope.prom")])
        #expect(missing.status == 1)
        #expect(missing.standardError.contains("nope.prom: no such file; check the path"))
        let notText = try directory.write("binary.yaml", "")
        try Data([0x70, 0x6F, 0xFF, 0xFE]).write(to: URL(fileURLWithPath: notText))
        let binary = try BallastProcess.run(["check", notText])
        #expect(binary.status == 1)
        #expect(binary.standardError.contains("binary.yaml: is not UTF-8 text"))
    }

    @Test func importFromADirectoryFailsCleanlyAndLeavesNoDatabase() throws {
        let directory = try TemporaryDirectory()
        let database = directory.file("new.db")
        let outcome = try BallastProcess.run(["import", "--db", database, directory.path])
        #expect(outcome.status == 1)
        #expect(outcome.standardError.contains("is a directory; give a file"))
        #expect(!FileManager.default.fileExists(atPath: database))
        let invalid = try directory.write("bad.om", "not openmetrics at all\n")
        #expect(try BallastProcess.run(["import", "--db", database, invalid]).status == 1)
        #expect(!FileManager.default.fileExists(atPath: database), "nothing was written, so the new database is removed")
    }

    @Test func importReadsStandardInput() throws {
        let directory = try TemporaryDirectory()
        let outcome = try BallastProcess.run(["import", "--db", directory.file("s.db"), "-"], input: Self.openMetrics)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardOutput.contains("imported 1 samples"))
    }
}
