package import Policy

/// `replay --report OUT.html`: one self-contained HTML file (inline SVG and CSS, no script,
/// font or image from elsewhere) a person reads at a glance: load against ready capacity,
/// replicas, utilisation and p99 against the SLO with violations marked, cumulative cost, and
/// the summary table. Long replays are drawn from at most `width` buckets (each the highest
/// load, utilisation and p99 of its steps, the replicas at its end), so a violation is never
/// averaged away.
package struct ReplayReport: Sendable {
    private var times: [Int64] = []
    private var loads: [Double] = []
    private var ready: [Int] = []
    private var desired: [Int] = []
    private var utilizations: [Double] = []
    private var p99s: [Double] = []
    private var violations: [Bool] = []
    private var costs: [Double] = []
    private let pricePerStep: Double
    private var runningCost = 0.0

    /// A report for `policy`, whose cost per replica and step it accumulates.
    package init(policy: PoolPolicy) {
        pricePerStep = (policy.cost?.perReplicaHour ?? 0) * Double(policy.evaluationInterval.milliseconds) / 3_600_000
    }

    /// Records one step (pass it as `ReplayRun.run(observe:)`).
    package mutating func record(_ step: ReplayStep) {
        runningCost += Double(step.desiredReplicas) * pricePerStep
        times.append(step.time)
        loads.append(step.load)
        ready.append(step.readyReplicas)
        desired.append(step.desiredReplicas)
        utilizations.append(step.utilization)
        p99s.append(step.p99Seconds)
        violations.append(step.violation)
        costs.append(runningCost)
    }

    /// The HTML page.
    package func html(policy: PoolPolicy, summary: ReplaySummary, width: Int = 800) -> String {
        let buckets = Swift.max(1, Swift.min(width, times.count))
        let perBucket = Swift.max(1, (times.count + buckets - 1) / buckets)
        var bucketStarts: [Int] = []
        var start = 0
        while start < times.count {
            bucketStarts.append(start)
            start += perBucket
        }
        func reduce<T>(_ values: [T], _ combine: (ArraySlice<T>) -> T) -> [T] {
            bucketStarts.map { combine(values[$0..<Swift.min($0 + perBucket, values.count)]) }
        }
        let capacity = policy.capacity?.perReplicaRPS ?? 1
        let load = reduce(loads) { $0.max() ?? 0 }
        let readyCapacity = reduce(ready.map { Double($0) * capacity }) { $0.min() ?? 0 }
        let readyReplicas = reduce(ready.map(Double.init)) { $0.last ?? 0 }
        let desiredReplicas = reduce(desired.map(Double.init)) { $0.last ?? 0 }
        let utilization = reduce(utilizations) { slice in slice.map { $0.isFinite ? $0 : 10 }.max() ?? 0 }
        let p99 = reduce(p99s) { slice in slice.map { $0.isFinite ? $0 : .nan }.max() ?? .nan }
        let violated = reduce(violations) { $0.contains(true) }
        let cost = reduce(costs) { $0.last ?? 0 }
        let first = times.first ?? 0
        let last = times.last ?? 0
        var charts: [String] = []
        charts.append(
            Self.chart(
                title: "Offered load against ready capacity (requests/s)",
                series: [("load", load, "#d9480f"), ("ready capacity", readyCapacity, "#1c7ed6")],
                violations: violated,
                from: first,
                to: last
            )
        )
        charts.append(
            Self.chart(
                title: "Replicas",
                series: [("desired", desiredReplicas, "#868e96"), ("ready", readyReplicas, "#2b8a3e")],
                violations: violated,
                from: first,
                to: last
            )
        )
        charts.append(
            Self.chart(
                title: "Utilisation of ready replicas (SLO \(readable(policy.slo.maxUtilization * 100))%, drawn up to 200%)",
                series: [("utilisation", utilization.map { Swift.min($0, 2) }, "#ae3ec9")],
                violations: violated,
                from: first,
                to: last,
                threshold: policy.slo.maxUtilization
            )
        )
        if p99.contains(where: { !$0.isNaN }) {
            // Near capacity the modelled p99 grows without bound: drawn up to 4× the SLO (10 s
            // without one) so the rest stays readable.
            let ceiling = (policy.slo.latencyP99?.seconds).map { $0 * 4 } ?? 10
            charts.append(
                Self.chart(
                    title: "Modelled p99 latency (s)" + (policy.slo.latencyP99.map { ", SLO \($0)" } ?? "") + ", drawn up to \(readable(ceiling)) s",
                    series: [("p99", p99.map { $0.isNaN ? $0 : Swift.min($0, ceiling) }, "#f08c00")],
                    violations: violated,
                    from: first,
                    to: last,
                    threshold: policy.slo.latencyP99?.seconds
                )
            )
        }
        charts.append(
            Self.chart(title: "Cumulative cost", series: [("cost", cost, "#495057")], violations: violated, from: first, to: last)
        )
        let rows: [(String, String)] = [
            ("Pool", Self.escape(policy.pool)),
            ("Steps", "\(summary.steps) × \(policy.evaluationInterval)"),
            ("Replica-hours", readable(summary.replicaHours)),
            ("Cost", readable(summary.cost)),
            ("SLO violation minutes", readable(summary.sloViolationMinutes)),
            ("Scale events", "\(summary.scaleEvents)"),
            ("Failovers", "\(summary.failovers)"),
            ("Peak replicas", "\(summary.peakReplicas)"),
        ]
        let table = rows.map { "<tr><th>\($0.0)</th><td>\($0.1)</td></tr>" }.joined()
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Ballast replay: \(Self.escape(policy.pool))</title>
            <style>
            body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#212529;max-width:960px}
            h1{font-size:20px;margin:0 0 12px} h2{font-size:14px;margin:18px 0 4px;font-weight:600}
            table{border-collapse:collapse;margin:8px 0 16px} th,td{padding:3px 12px 3px 0;text-align:left} th{font-weight:500;color:#495057}
            svg{width:100%;height:auto;display:block} .legend span{margin-right:14px} .legend i{display:inline-block;width:10px;height:10px;margin-right:4px}
            </style></head><body>
            <h1>Replay of pool \(Self.escape(policy.pool))</h1>
            <table id="summary">\(table)</table>
            \(charts.joined(separator: "\n"))
            <p>Shaded: steps that violate the SLO. Model: M/M/c over the ready replicas; see the README.</p>
            </body></html>

            """
    }

    /// One line chart with its violations shaded and an optional threshold line.
    private static func chart(
        title: String,
        series: [(String, [Double], String)],
        violations: [Bool],
        from: Int64,
        to: Int64,
        threshold: Double? = nil
    ) -> String {
        let (width, height, left, bottom) = (800.0, 180.0, 48.0, 20.0)
        let plotWidth = width - left - 8
        let plotHeight = height - bottom - 8
        let count = series.first?.1.count ?? 0
        let finite = series.flatMap { $0.1.filter(\.isFinite) } + (threshold.map { [$0] } ?? [])
        let top = Swift.max(finite.max() ?? 1, 1e-9) * 1.1
        func x(_ index: Int) -> Double { left + (count > 1 ? Double(index) / Double(count - 1) : 0) * plotWidth }
        func y(_ value: Double) -> Double { 8 + plotHeight - Swift.min(value, top) / top * plotHeight }
        var shapes: [String] = []
        let band = count > 1 ? plotWidth / Double(count - 1) : plotWidth
        for (index, violated) in violations.enumerated() where violated && index < count {
            shapes.append(
                "<rect x=\"\(format(x(index) - band / 2))\" y=\"8\" width=\"\(format(band))\" height=\"\(format(plotHeight))\" fill=\"#ffe3e3\"/>"
            )
        }
        shapes.append(
            "<line x1=\"\(format(left))\" y1=\"\(format(8 + plotHeight))\" x2=\"\(format(width - 8))\" y2=\"\(format(8 + plotHeight))\" stroke=\"#adb5bd\"/>"
        )
        for fraction in [0.0, 0.5, 1.0] {
            let value = top / 1.1 * fraction
            shapes.append(
                "<text x=\"\(format(left - 4))\" y=\"\(format(y(value) + 4))\" text-anchor=\"end\" font-size=\"10\" fill=\"#868e96\">\(readable(value))</text>"
            )
        }
        if let threshold {
            shapes.append(
                "<line x1=\"\(format(left))\" y1=\"\(format(y(threshold)))\" x2=\"\(format(width - 8))\" y2=\"\(format(y(threshold)))\" stroke=\"#e03131\" stroke-dasharray=\"4 3\"/>"
            )
        }
        for (_, values, color) in series {
            var path = ""
            var drawing = false
            for (index, value) in values.enumerated() {
                guard value.isFinite else {
                    drawing = false
                    continue
                }
                path += "\(drawing ? "L" : "M")\(format(x(index))) \(format(y(value)))"
                drawing = true
            }
            shapes.append("<path d=\"\(path)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\"/>")
        }
        shapes.append("<text x=\"\(format(left))\" y=\"\(format(height - 4))\" font-size=\"10\" fill=\"#868e96\">\(time(from))</text>")
        shapes.append(
            "<text x=\"\(format(width - 8))\" y=\"\(format(height - 4))\" text-anchor=\"end\" font-size=\"10\" fill=\"#868e96\">\(time(to))</text>"
        )
        let legend = series.map { "<span><i style=\"background:\($0.2)\"></i>\(escape($0.0))</span>" }.joined()
        return """
            <h2>\(escape(title))</h2><div class="legend">\(legend)</div>
            <svg viewBox="0 0 \(Int(width)) \(Int(height))" role="img" aria-label="\(escape(title))">\(shapes.joined())</svg>
            """
    }

    private static func format(_ value: Double) -> String {
        String(Int((value * 10).rounded())).inserting(".", beforeLast: 1)
    }

    /// A timestamp (ms) as UTC `YYYY-MM-DD HH:MM`.
    private static func time(_ milliseconds: Int64) -> String {
        let seconds = milliseconds / 1000
        let days = Int((seconds >= 0 ? seconds : seconds - 86_399) / 86_400)
        let secondOfDay = Int(seconds - Int64(days) * 86_400)
        // Civil from days (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)-\(two(month))-\(two(day)) \(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)) UTC"
    }

    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}

/// A number for people: at most 3 decimals, no trailing zeros.
func readable(_ value: Double) -> String {
    guard value.isFinite else { return value > 0 ? "∞" : "–" }
    // Beyond this the thousandths do not fit an Int64 (a trace may hold any load).
    guard abs(value) < 1e15 else { return "\(value)" }
    var text = String(Int64((value * 1000).rounded()))
    let negative = text.hasPrefix("-")
    if negative { text.removeFirst() }
    while text.count < 4 { text = "0" + text }
    var whole = String(text.dropLast(3))
    var fraction = String(text.suffix(3))
    while fraction.hasSuffix("0") { fraction.removeLast() }
    if whole.isEmpty { whole = "0" }
    return (negative ? "-" : "") + whole + (fraction.isEmpty ? "" : "." + fraction)
}

extension String {
    /// The number text with a decimal point `beforeLast` digits from the end (`123` → `12.3`).
    fileprivate func inserting(_ point: Character, beforeLast digits: Int) -> String {
        var text = self
        let negative = text.hasPrefix("-")
        if negative { text.removeFirst() }
        while text.count <= digits { text = "0" + text }
        text.insert(point, at: text.index(text.endIndex, offsetBy: -digits))
        return (negative ? "-" : "") + text
    }
}
