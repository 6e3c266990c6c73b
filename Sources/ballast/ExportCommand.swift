import ArgumentParser
import Foundation
import Query
import Store

/// `ballast export --db DB [--match SELECTOR]... [--from T] [--to T]`: writes stored series as
/// OpenMetrics with timestamps, the inverse of `ballast import` (and importable by promtool).
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write stored series as OpenMetrics text with timestamps.",
        discussion: """
            Series matching any --match selector (all series without one) are written to standard \
            output, grouped by metric name and ending with '# EOF'. Times are RFC 3339 or unix \
            seconds; both bounds are inclusive. Stale markers are not exported.
            """
    )

    @Option(help: "The store's database file.")
    var db: String

    @Option(help: "A series selector such as 'up{job=\"api\"}'; repeat to export several.")
    var match: [String] = []

    @Option(help: "Export samples from this time on (RFC 3339 or unix seconds).")
    var from: String?

    @Option(help: "Export samples up to this time (RFC 3339 or unix seconds).")
    var to: String?

    func run() throws {
        let selectors = try match.map(Self.selector)
        let start = try from.map { try Self.milliseconds($0, option: "--from") } ?? .min
        let end = try to.map { try Self.milliseconds($0, option: "--to") } ?? .max
        guard start <= end else { throw ValidationError("--from must not be after --to") }
        do {
            let store = try Store(path: db, readOnly: true)
            try OpenMetricsExport(store: store).write(selectors: selectors, from: start, through: end) { text in
                FileHandle.standardOutput.writeQuietly(Data(text.utf8))
            }
        } catch {
            FileHandle.standardError.writeQuietly(Data("\(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    /// The matchers of a plain series selector; anything else is a usage error naming it.
    private static func selector(_ text: String) throws -> [LabelMatcher] {
        let expression: Expr
        do {
            expression = try PromQL.parse(text)
        } catch {
            throw ValidationError("--match \(text): \(error)")
        }
        guard case .vectorSelector(let selector) = expression, selector.offset == 0, selector.at == nil else {
            throw ValidationError("--match \(text): expected a series selector such as 'up{job=\"api\"}'")
        }
        return selector.matchers
    }

    /// Unix seconds (fractions allowed) or an RFC 3339 time, in milliseconds, parsed as the
    /// Prometheus API (and `ballast query`) parse them.
    private static func milliseconds(_ text: String, option: String) throws -> Int64 {
        guard let milliseconds = APITime.parseTime(text) else {
            throw ValidationError("\(option) \(text): expected unix seconds or an RFC 3339 time such as 2024-01-02T15:04:05Z")
        }
        return milliseconds
    }
}
