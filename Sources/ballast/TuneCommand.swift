import ArgumentParser
import Foundation
import InputFiles
import Policy
import PolicyLoading
import Replay

/// `ballast tune`: replays every variant of a policy over one trace, in parallel, and ranks them:
/// those meeting the SLO bound cheapest first, then the rest by violation minutes.
struct TuneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tune",
        abstract: "Find the cheapest policy variant that meets the SLO over a load trace or recorded history.",
        discussion: """
            Each --vary PATH=V1,V2,... (PATH a dotted policy key such as scaling.target.value) multiplies the \
            variants; with --random N, N variants are drawn instead, PATH=LOW..HIGH ranges sampled uniformly \
            (from a fixed seed: the same command tries the same variants).
            """
    )

    @Option(help: "The policy to vary.")
    var policy: String

    @OptionGroup var source: LoadSourceOptions

    @Option(help: "PATH=V1,V2,... or PATH=LOW..HIGH (repeatable).")
    var vary: [String] = []

    @Option(help: "Draw this many variants instead of trying every combination.")
    var random: Int?

    @Option(name: .customLong("max-slo-violation-minutes"), help: "The SLO bound a variant must meet (default 0).")
    var maxViolationMinutes: Double = 0

    @Option(help: "Replays run at once (default: the cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Another policy replayed on the same trace, to compare the best variant with.")
    var baseline: String?

    @Option(help: "How the load between trace points is read: step or linear.")
    var interpolate: String = "step"

    @Flag(help: "Print {\"results\": [...]} as JSON.")
    var json = false

    @Option(help: "Write a self-contained HTML report: cost against violation minutes, the Pareto front, the ranking.")
    var report: String?

    func validate() throws {
        if vary.isEmpty { throw ValidationError("Give at least one --vary PATH=V1,V2,...") }
        if let random, random < 1 { throw ValidationError("--random takes a positive count.") }
        if jobs < 1 { throw ValidationError("--jobs takes a positive count.") }
        if LoadTrace.Interpolation(rawValue: interpolate) == nil { throw ValidationError("--interpolate takes step or linear.") }
        for text in vary {
            if case .failure(let error) = TuneSpace.dimension(text) { throw ValidationError(error.description) }
        }
    }

    func run() async throws {
        let loader = PolicyLoader(validateExpression: PromQLValidation.problem)
        let text: String
        let load: LoadTrace
        let variants: [[(path: String, value: String)]]
        do {
            text = try InputFile.text(policy)
            load = try await source.load(try loader.load(yaml: text, path: policy), policyPath: policy)
            variants = try TuneSpace(dimensions: vary.compactMap { try? TuneSpace.dimension($0).get() }).variants(random: random)
        } catch {
            FileHandle.standardError.writeQuietly(Data("\(error)\n".utf8))
            throw ExitCode(1)
        }
        // Every variant must load: a value the policy refuses is the user's mistake, said once.
        var policies: [PoolPolicy] = []
        for variant in variants {
            do {
                policies.append(
                    try loader.load(yaml: text, path: policy, overrides: variant.map { PolicyOverride(keyPath: $0.path, value: $0.value) })
                )
            } catch {
                let named = variant.map { "\($0.path)=\($0.value)" }.joined(separator: " ")
                FileHandle.standardError.writeQuietly(Data("variant \(named):\n\(error.diagnostics.map { "  \($0)\n" }.joined())".utf8))
                throw ExitCode(1)
            }
        }
        let interpolation = LoadTrace.Interpolation(rawValue: interpolate) ?? .step
        let summaries: [ReplaySummary]
        do {
            summaries = try await Self.replay(policies, trace: load, interpolation: interpolation, jobs: jobs)
        } catch {
            FileHandle.standardError.writeQuietly(Data("\(policy):1:1: \(error)\n".utf8))
            throw ExitCode(1)
        }
        let bound = maxViolationMinutes
        let ranked = summaries.indices.sorted { a, b in
            let (left, right) = (summaries[a], summaries[b])
            let (leftMeets, rightMeets) = (left.sloViolationMinutes <= bound, right.sloViolationMinutes <= bound)
            if leftMeets != rightMeets { return leftMeets }
            if leftMeets { return (left.cost, left.sloViolationMinutes, a) < (right.cost, right.sloViolationMinutes, b) }
            return (left.sloViolationMinutes, left.cost, a) < (right.sloViolationMinutes, right.cost, b)
        }
        var baselineSummary: ReplaySummary?
        if let baseline {
            let baselinePolicy = try PolicyFile.load(baseline)
            do {
                baselineSummary = try ReplayRun(policy: baselinePolicy, trace: load, interpolation: interpolation).run()
            } catch {
                FileHandle.standardError.writeQuietly(Data("\(baseline):1:1: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
        if let report {
            let entries = ranked.map {
                TuneReport.Entry(vary: variants[$0], summary: summaries[$0], meetsSLO: summaries[$0].sloViolationMinutes <= bound)
            }
            do {
                try TuneReport.html(pool: policies.first?.pool ?? "", bound: bound, entries: entries).write(
                    toFile: report,
                    atomically: true,
                    encoding: .utf8
                )
            } catch {
                FileHandle.standardError.writeQuietly(Data("\(report): cannot write the report: \(error.localizedDescription)\n".utf8))
                throw ExitCode(1)
            }
        }
        if json {
            struct Output: Encodable {
                var results: [ReplayJSON]
            }
            let results = ranked.map {
                ReplayJSON(summary: summaries[$0], policy: policies[$0], vary: variants[$0], meetsSLO: summaries[$0].sloViolationMinutes <= bound)
            }
            print(ReplayJSON.text(Output(results: results)))
            return
        }
        print(Self.table(ranked.map { (variants[$0], summaries[$0]) }, bound: bound))
        if let baselineSummary, let best = ranked.first {
            let chosen = summaries[best]
            print(
                "best against the baseline: cost \(Self.ratio(chosen.cost, baselineSummary.cost)), "
                    + "SLO violation minutes \(String(format: "%.1f", chosen.sloViolationMinutes)) against \(String(format: "%.1f", baselineSummary.sloViolationMinutes))"
            )
        }
    }

    /// Replays every policy, `jobs` at a time; results in the policies' order.
    private static func replay(
        _ policies: [PoolPolicy],
        trace: LoadTrace,
        interpolation: LoadTrace.Interpolation,
        jobs: Int
    ) async throws -> [ReplaySummary] {
        try await withThrowingTaskGroup(of: (Int, ReplaySummary).self) { group in
            var results = [ReplaySummary?](repeating: nil, count: policies.count)
            var next = 0
            func start() {
                guard next < policies.count else { return }
                let index = next
                next += 1
                group.addTask { (index, try ReplayRun(policy: policies[index], trace: trace, interpolation: interpolation).run()) }
            }
            for _ in 0..<min(jobs, policies.count) { start() }
            while let (index, summary) = try await group.next() {
                results[index] = summary
                start()
            }
            return results.map { $0 ?? ReplaySummary() }
        }
    }

    private static func table(_ rows: [([(path: String, value: String)], ReplaySummary)], bound: Double) -> String {
        let paths = rows.first?.0.map(\.path) ?? []
        var lines = [(["rank"] + paths + ["cost", "replica_hours", "slo_violation_minutes", "scale_events", "meets_slo"]).joined(separator: "\t")]
        for (rank, (variant, summary)) in rows.enumerated() {
            let fields =
                ["\(rank + 1)"] + variant.map(\.value) + [
                    String(format: "%.2f", summary.cost), String(format: "%.2f", summary.replicaHours),
                    String(format: "%.2f", summary.sloViolationMinutes), "\(summary.scaleEvents)",
                    summary.sloViolationMinutes <= bound ? "yes" : "no",
                ]
            lines.append(fields.joined(separator: "\t"))
        }
        return lines.joined(separator: "\n")
    }

    private static func ratio(_ value: Double, _ reference: Double) -> String {
        reference > 0 ? String(format: "%.2f×", value / reference) : "n/a (baseline costs nothing)"
    }
}
