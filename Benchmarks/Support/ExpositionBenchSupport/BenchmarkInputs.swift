public import Foundation

/// The benchmark inputs: the upstream Prometheus benchmark file from the shared test data and a
/// large exposition built from it.
public enum BenchmarkInputs {
    /// `shared/testdata/expositions`, found from this source file (the repository's parent holds `shared/`).
    public static let expositionsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/testdata/expositions")

    /// The bytes of a file in the expositions directory.
    public static func exposition(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: expositionsDirectory.appendingPathComponent(name)))
    }

    /// A text exposition of at least `minimumBytes`, made of copies of `template` whose metric
    /// names get a per-copy prefix (`c1_...`) so that every family stays declared once.
    /// `scripts/bench/parse.sh` builds the same file with awk for the Go comparison.
    public static func large(from template: [UInt8], minimumBytes: Int) -> [UInt8] {
        let lines = template.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        var output: [UInt8] = []
        output.reserveCapacity(minimumBytes + template.count * 2)
        var copy = 0
        while output.count < minimumBytes {
            copy += 1
            let prefix = Array("c\(copy)_".utf8)
            for line in lines where !line.isEmpty {
                if line.starts(with: "# HELP ".utf8) || line.starts(with: "# TYPE ".utf8) {
                    output.append(contentsOf: line.prefix(7))
                    output.append(contentsOf: prefix)
                    output.append(contentsOf: line.dropFirst(7))
                } else if line.first != UInt8(ascii: "#") {
                    output.append(contentsOf: prefix)
                    output.append(contentsOf: line)
                } else {
                    continue
                }
                output.append(UInt8(ascii: "\n"))
            }
        }
        return output
    }
}
