import Exposition
import Foundation

/// The real expositions in shared/testdata, found from this file: the repository's parent holds
/// `shared/`. Tests that need them skip with a visible reason when it is missing.
enum ExpositionFixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/testdata/expositions")

    static var available: Bool { FileManager.default.fileExists(atPath: directory.path) }

    static let missingReason = "shared/testdata/expositions is missing next to the repository"

    /// Every fixture with the sample count the Prometheus parser returns for it.
    static let sampleCounts: [(file: String, samples: Int)] = [
        ("alltypes.237mfs.prom.txt", 1857),
        ("alltypes.237mfs.nometa.prom.txt", 1857),
        ("promtestdata.legacy.prom.txt", 410),
        ("promtestdata.legacy.nometa.prom.txt", 410),
        ("expfmt_testdata_text.prom.txt", 248),
        ("alltypes.5mfs.om.txt", 53),
        ("1histogram.om.txt", 42),
    ]

    static func bytes(_ file: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(file)))
    }

    static func format(of file: String) -> ExpositionFormat {
        file.hasSuffix(".om.txt") ? .openMetrics : .prometheusText
    }
}
