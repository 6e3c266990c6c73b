import ArgumentParser
import Foundation
import InputFiles
import Policy
import PolicyLoading
import Query
import Replay
import Store

/// `ballast replay`: the pool's policy through the daemon's own engine over a load trace or
/// recorded history, in simulated time, with the cost and the SLO violations it would have had.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a policy over a load trace or the store's history: cost, SLO violation minutes, scale events.",
        discussion: """
            The trace is CSV, timestamp,value (unix seconds, requests per second), any step, held between points \
            unless --interpolate linear. With --db or --prometheus, the load is the policy's replay.load PromQL over \
            [--from, --to], from Ballast's store or from a Prometheus-compatible server. \
            The model (capacity, startup, M/M/c latency, SLO) is described in the README.
            """
    )

    @Option(help: "The pool's policy file.")
    var policy: String

    @OptionGroup var source: LoadSourceOptions

    @Option(help: "How the load between trace points is read: step (held, the default) or linear.")
    var interpolate: String = "step"

    @Option(name: .customLong("fail"), help: "REPLICAS@T: that many ready replicas fail at unix time T (repeatable).")
    var failures: [String] = []

    @Flag(help: "Print the summary as one JSON object.")
    var json = false

    @Option(help: "Write one CSV row per step to this file.")
    var timeline: String?

    @Option(help: "Write a self-contained HTML report (inline SVG charts and the summary) to this file.")
    var report: String?

    func validate() throws {
        if LoadTrace.Interpolation(rawValue: interpolate) == nil { throw ValidationError("--interpolate takes step or linear.") }
        for failure in failures where Self.failure(failure) == nil {
            throw ValidationError("--fail takes REPLICAS@UNIX_SECONDS, e.g. 2@1700000000, not \(failure.debugDescription).")
        }
    }

    func run() async throws {
        let loaded = try PolicyFile.load(policy)
        let load: LoadTrace
        do {
            load = try await source.load(loaded, policyPath: policy)
        } catch {
            FileHandle.standardError.writeQuietly(Data("\(error)\n".utf8))
            throw ExitCode(1)
        }
        let replay = ReplayRun(
            policy: loaded,
            trace: load,
            interpolation: LoadTrace.Interpolation(rawValue: interpolate) ?? .step,
            failures: failures.compactMap(Self.failure)
        )
        var rows = TimelineWriter(signals: (loaded.replay?.signals ?? []).map(\.signal).sorted())
        var page = ReplayReport(policy: loaded)
        // A progress bar on a terminal, for long replays; nothing when stderr is a file or pipe.
        var progress = isatty(2) == 1 ? ProgressBar(total: Self.steps(load, loaded)) : nil
        let summary: ReplaySummary
        do {
            let observe: ((ReplayStep) -> Void)? =
                timeline == nil && report == nil && progress == nil
                ? nil
                : { step in
                    if timeline != nil { rows.append(step) }
                    if report != nil { page.record(step) }
                    progress?.advance()
                }
            summary = try replay.run(observe: observe)
            progress?.finish()
        } catch {
            FileHandle.standardError.writeQuietly(Data("\(policy):1:1: \(error)\n".utf8))
            throw ExitCode(1)
        }
        if let timeline {
            do {
                try rows.text.write(toFile: timeline, atomically: true, encoding: .utf8)
            } catch {
                FileHandle.standardError.writeQuietly(Data("\(timeline): cannot write the timeline: \(error.localizedDescription)\n".utf8))
                throw ExitCode(1)
            }
        }
        if let report {
            do {
                try page.html(policy: loaded, summary: summary).write(toFile: report, atomically: true, encoding: .utf8)
            } catch {
                FileHandle.standardError.writeQuietly(Data("\(report): cannot write the report: \(error.localizedDescription)\n".utf8))
                throw ExitCode(1)
            }
        }
        print(json ? ReplayJSON.text(ReplayJSON(summary: summary, policy: loaded)) : Self.text(summary, policy: loaded))
    }

    /// How many steps the replay takes.
    private static func steps(_ trace: LoadTrace, _ policy: PoolPolicy) -> Int {
        let span = Int64(((trace.times.last ?? 0) - (trace.times.first ?? 0)) * 1000)
        return Int(span / Swift.max(policy.evaluationInterval.milliseconds, 1)) + 1
    }

    static func failure(_ text: String) -> ReplicaFailure? {
        let parts = text.split(separator: "@")
        guard parts.count == 2, let replicas = Int(parts[0]), replicas > 0, let time = Double(parts[1]), time.isFinite else { return nil }
        return ReplicaFailure(replicas: replicas, time: time)
    }

    static func text(_ summary: ReplaySummary, policy: PoolPolicy) -> String {
        """
        pool \(policy.pool): \(summary.steps) steps of \(policy.evaluationInterval)
          replica-hours         \(String(format: "%.2f", summary.replicaHours))
          cost                  \(String(format: "%.2f", summary.cost))
          SLO violation minutes \(String(format: "%.2f", summary.sloViolationMinutes))
          scale events          \(summary.scaleEvents)
          failovers             \(summary.failovers)
          peak replicas         \(summary.peakReplicas)
        """
    }
}

/// The `--timeline` CSV: one row per step.
private struct TimelineWriter {
    let signals: [String]
    private(set) var text: String

    init(signals: [String]) {
        self.signals = signals
        text =
            (["timestamp", "load_rps", "ready_replicas", "desired_replicas"] + signals + [
                "utilization", "latency_p99_seconds", "violation", "decision",
            ])
            .joined(separator: ",") + "\n"
    }

    mutating func append(_ step: ReplayStep) {
        var fields = [
            Self.number(Double(step.time) / 1000), Self.number(step.load), "\(step.readyReplicas)", "\(step.desiredReplicas)",
        ]
        fields += signals.map { step.signals[$0].map(Self.number) ?? "" }
        fields += [Self.number(step.utilization), Self.number(step.p99Seconds), step.violation ? "1" : "0", step.decision]
        text += fields.joined(separator: ",") + "\n"
    }

    private static func number(_ value: Double) -> String {
        value.isFinite ? "\(value)" : (value > 0 ? "+Inf" : "NaN")
    }
}

/// A one-line bar on standard error, redrawn at each whole percent.
private struct ProgressBar {
    let total: Int
    private var done = 0
    private var shown = -1

    init(total: Int) {
        self.total = Swift.max(total, 1)
    }

    mutating func advance() {
        done += 1
        let percent = done * 100 / total
        guard percent != shown else { return }
        shown = percent
        let filled = percent * 30 / 100
        FileHandle.standardError.writeQuietly(
            Data("\r[\(String(repeating: "#", count: filled))\(String(repeating: " ", count: 30 - filled))] \(percent)%".utf8)
        )
    }

    func finish() {
        FileHandle.standardError.writeQuietly(Data("\r\(String(repeating: " ", count: 40))\r".utf8))
    }
}
