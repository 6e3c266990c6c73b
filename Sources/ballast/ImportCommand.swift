import ArgumentParser
import Exposition
import Foundation
import InputFiles
import Store

/// `ballast import --db DB FILE`: backfills an OpenMetrics file with timestamps (the input of
/// `promtool tsdb create-blocks-from openmetrics`) into the store, streaming, so a file larger
/// than memory imports in constant memory.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import an OpenMetrics file with timestamps into the store.",
        discussion: """
            Any timestamps are accepted. A sample whose series and timestamp are already stored is \
            skipped and counted, so running an interrupted import again completes it. On invalid \
            input the error is printed as FILE:LINE:COL: message (exit status 1); the samples before \
            that line stay imported, so fixing the file and importing it again completes the job.
            """
    )

    @Option(help: "The store's database file (created when missing).")
    var db: String

    @Option(help: "Samples per transaction: what a crash can lose at most (re-running completes it).")
    var batchSize = 500_000

    @Flag(help: "Also enforce the OpenMetrics 1.0 spec where promtool is lenient (a linter).")
    var strict = false

    @Flag(help: "Skip re-packing the file when done (VACUUM locks out other writers, e.g. a running daemon, meanwhile).")
    var noVacuum = false

    @Argument(help: "The OpenMetrics file (samples with timestamps, ending with '# EOF'), or - for standard input.")
    var file: String

    /// Bytes read per piece: large enough for throughput, small enough for constant memory.
    private static let pieceSize = 1 << 20

    func validate() throws {
        guard batchSize > 0 else { throw ValidationError("--batch-size must be at least 1") }
    }

    func run() throws {
        // The input is opened first: a path that cannot be read leaves no database behind.
        let input: InputFile
        do {
            input = try InputFile(file)
        } catch {
            fail(error.description)
        }
        let created = !FileManager.default.fileExists(atPath: db)
        var progress = ImportProgress(totalBytes: input.regularFileSize ?? 0)
        var appended = 0
        do {
            let store = try Store(path: db)
            let importer = try OpenMetricsImport(store: store, batchSize: batchSize, options: strict ? .specification : .prometheus)
            while true {
                let piece = try input.read(upTo: Self.pieceSize)
                if piece.isEmpty { break }
                try piece.withUnsafeBufferPointer { try importer.consume($0) }
                appended = importer.result.appended
                progress.advance(bytes: piece.count, samples: appended)
            }
            let result = try importer.finish()
            progress.clear()
            print("imported \(result.appended) samples, skipped \(result.duplicates) already stored")
            if result.appended > 0 && !noVacuum { pack(store) }
        } catch let error as ImportError {
            progress.clear()
            switch error {
            case .invalidInput(let invalid, let imported):
                fail(
                    """
                    \(invalid.described(inFile: file))
                    \(imported) samples before line \(invalid.line) were imported; fix the file and import it again \
                    (samples already stored are skipped)
                    """,
                    removing: created && imported == 0
                )
            case .store(let storeError):
                fail("\(storeError)", removing: created && appended == 0)
            }
        } catch {
            progress.clear()
            fail("\(error)", removing: created && appended == 0)
        }
    }

    /// Re-packs the pages the import filled in series-interleaved order. The samples are stored
    /// already, so a failure (another process writing) is only reported.
    private func pack(_ store: Store) {
        do {
            try store.vacuum()
        } catch {
            FileHandle.standardError.writeQuietly(Data("note: the import is complete but packing the file was skipped: \(error)\n".utf8))
        }
    }

    /// Prints `message` and exits 1; `removing` deletes the database this run created when
    /// nothing was written to it, so a failed import leaves no empty store behind.
    private func fail(_ message: String, removing: Bool = false) -> Never {
        FileHandle.standardError.writeQuietly(Data((message + "\n").utf8))
        if removing {
            for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: db + suffix) }
        }
        Foundation.exit(1)
    }
}

/// A one-line progress report on standard error, only when it is a terminal: redirected output
/// and logs stay clean.
private struct ImportProgress {
    let totalBytes: Int
    private let enabled = isatty(STDERR_FILENO) == 1
    private var readBytes = 0
    private var lastReport = Date.distantPast

    init(totalBytes: Int) {
        self.totalBytes = totalBytes
    }

    mutating func advance(bytes: Int, samples: Int) {
        readBytes += bytes
        guard enabled, Date().timeIntervalSince(lastReport) >= 0.25 else { return }
        lastReport = Date()
        let percent = totalBytes > 0 ? " (\(readBytes * 100 / totalBytes)%)" : ""
        FileHandle.standardError.writeQuietly(Data("\r\u{1B}[Kimporting: \(samples) samples\(percent)".utf8))
    }

    func clear() {
        if enabled { FileHandle.standardError.writeQuietly(Data("\r\u{1B}[K".utf8)) }
    }
}
