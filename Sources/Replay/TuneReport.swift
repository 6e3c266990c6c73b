/// `tune --report OUT.html`: the variants as points of cost against SLO violation minutes, the
/// Pareto front (no other variant is both cheaper and violates less) joined and labelled, and the
/// ranked table; one self-contained page like the replay report.
package enum TuneReport {
    /// One variant: its varied values and its replay.
    package struct Entry: Sendable {
        package var vary: [(path: String, value: String)]
        package var summary: ReplaySummary
        package var meetsSLO: Bool

        package init(vary: [(path: String, value: String)], summary: ReplaySummary, meetsSLO: Bool) {
            self.vary = vary
            self.summary = summary
            self.meetsSLO = meetsSLO
        }
    }

    /// The indices of the Pareto-optimal entries, cheapest first.
    package static func front(_ entries: [Entry]) -> [Int] {
        let order = entries.indices.sorted {
            (entries[$0].summary.cost, entries[$0].summary.sloViolationMinutes) < (entries[$1].summary.cost, entries[$1].summary.sloViolationMinutes)
        }
        var front: [Int] = []
        var best = Double.infinity
        for index in order where entries[index].summary.sloViolationMinutes < best {
            front.append(index)
            best = entries[index].summary.sloViolationMinutes
        }
        return front
    }

    /// The page; `entries` in ranked order.
    package static func html(pool: String, bound: Double, entries: [Entry]) -> String {
        let (width, height, left, bottom) = (800.0, 360.0, 56.0, 36.0)
        let costs = entries.map(\.summary.cost)
        let minutes = entries.map(\.summary.sloViolationMinutes)
        let (minCost, maxCost) = (costs.min() ?? 0, costs.max() ?? 1)
        let maxMinutes = Swift.max(minutes.max() ?? 1, bound, 1e-9)
        let costSpan = Swift.max(maxCost - minCost, 1e-9)
        func x(_ cost: Double) -> Double { left + (cost - minCost) / costSpan * (width - left - 16) }
        func y(_ minutes: Double) -> Double { 12 + (1 - minutes / (maxMinutes * 1.05)) * (height - bottom - 12) }
        func number(_ value: Double) -> String { readable(value) }
        var shapes: [String] = []
        shapes.append("<line x1=\"\(left)\" y1=\"\(height - bottom)\" x2=\"\(width - 8)\" y2=\"\(height - bottom)\" stroke=\"#adb5bd\"/>")
        shapes.append("<line x1=\"\(left)\" y1=\"12\" x2=\"\(left)\" y2=\"\(height - bottom)\" stroke=\"#adb5bd\"/>")
        shapes.append(
            "<line x1=\"\(left)\" y1=\"\(number(y(bound)))\" x2=\"\(width - 8)\" y2=\"\(number(y(bound)))\" stroke=\"#e03131\" stroke-dasharray=\"4 3\"/>"
        )
        let front = self.front(entries)
        let path = front.map { "\(number(x(entries[$0].summary.cost))),\(number(y(entries[$0].summary.sloViolationMinutes)))" }.joined(separator: " ")
        shapes.append("<polyline points=\"\(path)\" fill=\"none\" stroke=\"#1c7ed6\" stroke-width=\"1.5\"/>")
        for (index, entry) in entries.enumerated() {
            let onFront = front.contains(index)
            shapes.append(
                "<circle cx=\"\(number(x(entry.summary.cost)))\" cy=\"\(number(y(entry.summary.sloViolationMinutes)))\" r=\"\(onFront ? 4 : 3)\" "
                    + "fill=\"\(entry.meetsSLO ? "#2b8a3e" : "#adb5bd")\"><title>\(ReplayReport.escape(label(entry)))</title></circle>"
            )
        }
        shapes.append("<text x=\"\(left)\" y=\"\(height - 8)\" font-size=\"11\" fill=\"#495057\">cost \(number(minCost))</text>")
        shapes.append(
            "<text x=\"\(width - 8)\" y=\"\(height - 8)\" text-anchor=\"end\" font-size=\"11\" fill=\"#495057\">cost \(number(maxCost))</text>"
        )
        shapes.append("<text x=\"\(left - 6)\" y=\"16\" text-anchor=\"end\" font-size=\"11\" fill=\"#495057\">\(number(maxMinutes))</text>")
        shapes.append("<text x=\"\(left - 6)\" y=\"\(height - bottom)\" text-anchor=\"end\" font-size=\"11\" fill=\"#495057\">0</text>")
        let paths = entries.first?.vary.map(\.path) ?? []
        let header = (["rank"] + paths + ["cost", "replica-hours", "SLO violation minutes", "scale events", "meets SLO"])
            .map { "<th>\(ReplayReport.escape($0))</th>" }.joined()
        let rows = entries.enumerated().map { rank, entry in
            let cells =
                ["\(rank + 1)"] + entry.vary.map(\.value) + [
                    number(entry.summary.cost), number(entry.summary.replicaHours), number(entry.summary.sloViolationMinutes),
                    "\(entry.summary.scaleEvents)", entry.meetsSLO ? "yes" : "no",
                ]
            return "<tr>" + cells.map { "<td>\(ReplayReport.escape($0))</td>" }.joined() + "</tr>"
        }.joined()
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Ballast tune: \(ReplayReport.escape(pool))</title>
            <style>
            body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#212529;max-width:960px}
            h1{font-size:20px;margin:0 0 12px} svg{width:100%;height:auto;display:block}
            table{border-collapse:collapse;margin-top:16px} th,td{padding:3px 12px 3px 0;text-align:left} th{font-weight:500;color:#495057}
            </style></head><body>
            <h1>Tuning pool \(ReplayReport.escape(pool)): \(entries.count) variants</h1>
            <p>Cost against SLO violation minutes. Green: meets the bound (\(number(bound)) minutes, dashed); blue line: the Pareto front.</p>
            <svg viewBox="0 0 \(Int(width)) \(Int(height))" role="img" aria-label="Pareto front">\(shapes.joined())</svg>
            <table id="results"><tr>\(header)</tr>\(rows)</table>
            </body></html>

            """
    }

    private static func label(_ entry: Entry) -> String {
        entry.vary.map { "\($0.path)=\($0.value)" }.joined(separator: " ")
            + ": cost \(readable(entry.summary.cost)), \(readable(entry.summary.sloViolationMinutes)) min"
    }
}
