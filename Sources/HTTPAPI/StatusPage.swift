package import Control
import Foundation

/// The status page at `/`: every pool at a glance, as HAProxy's stats page shows a backend —
/// its backends with tier, health, desired and applied weight as bars, ejection and slow start,
/// its replicas, and the last decisions with their reasons. Rendered on the server from the
/// same `PoolStatus` the `/api/v1/pools` endpoint serves; a small inline script fetches the
/// pools fragment (`/?fragment=pools`) every two seconds and swaps it in, so the one renderer
/// is this Swift code and the page works without JavaScript. No external assets.
package enum StatusPage {
    /// The whole page.
    package static func page(_ pools: [PoolStatus], version: String, now: Int64) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Ballast status</title>
        <style>\(style)</style></head>
        <body><header><h1>Ballast</h1><span class="muted">\(escape(version)) · live, refreshed every 2 s</span></header>
        <main id="pools">\(fragment(pools, now: now))</main>
        <script>\(script)</script>
        </body></html>

        """
    }

    /// The pools, as the script swaps them in.
    package static func fragment(_ pools: [PoolStatus], now: Int64) -> String {
        guard !pools.isEmpty else { return "<p class=\"muted\">No pools are loaded.</p>" }
        return pools.map { pool(pool: $0, now: now) }.joined()
    }

    private static func pool(pool: PoolStatus, now: Int64) -> String {
        var facts = [
            "serving <b>\(escape(pool.servingTier))</b>",
            pool.applied ? "applied through \(escape(pool.applier))" : "<span class=\"bad\">not yet applied (\(escape(pool.applier)))</span>",
        ]
        if let scaling = pool.scaling {
            facts.append(
                "replicas <b>\(scaling.current)</b>" + (scaling.desired == scaling.current ? "" : " → \(scaling.desired)")
                    + " (\(scaling.min)–\(scaling.max))"
            )
        }
        if pool.panic { facts.append("<span class=\"bad\">panic: every backend in rotation</span>") }
        if pool.holdDownRemainingSeconds > 0 { facts.append("failover hold-down \(Int(pool.holdDownRemainingSeconds.rounded())) s") }
        if pool.dryRun { facts.append("dry run") }
        if let evaluated = pool.evaluatedAt { facts.append("evaluated \(age(now - evaluated)) ago") }
        var html = "<section class=\"pool\" data-pool=\"\(escape(pool.pool))\"><h2>\(escape(pool.pool))</h2>"
        html += "<p class=\"facts\">\(facts.joined(separator: " · "))</p>"
        if let error = pool.lastApplyError { html += "<p class=\"bad\">last apply failed: \(escape(error))</p>" }
        for (signal, reason) in pool.signalErrors.sorted(by: { $0.key < $1.key }) {
            html += "<p class=\"warn\">signal \(escape(signal)) has no value: \(escape(reason))</p>"
        }
        html += """
            <div class="scroll"><table><thead><tr><th>backend</th><th>tier</th><th>health</th><th>state</th>\
            <th>weight (desired / applied)</th><th>signals</th></tr></thead><tbody>
            """
        for backend in pool.backends {
            html += row(backend, now: now)
        }
        html += "</tbody></table></div>"
        if !pool.decisions.isEmpty {
            html += "<h3>Last decisions</h3><ol class=\"decisions\">"
            for decision in pool.decisions.prefix(10) {
                html +=
                    "<li><time>\(age(now - decision.time)) ago</time> <b class=\"kind\">\(escape(decision.kind))</b> \(escape(decision.reason))</li>"
            }
            html += "</ol>"
        }
        return html + "</section>"
    }

    private static func row(_ backend: BackendStatus, now: Int64) -> String {
        let healthClass = backend.health == "healthy" ? "ok" : backend.health == "unhealthy" ? "bad" : "muted"
        var state = escape(backend.state)
        if let until = backend.ejectedUntil, until > now { state += " <span class=\"bad\">ejected \(age(until - now))</span>" }
        if let progress = backend.slowStartProgress { state += " <span class=\"warn\">slow start \(Int((progress * 100).rounded()))%</span>" }
        let applied = backend.appliedWeight.map(String.init) ?? "–"
        let signals = backend.signals.sorted { $0.key < $1.key }.map { "\(escape($0.key)) \(format($0.value))" }.joined(separator: ", ")
        let error = backend.lastError.isEmpty ? "" : "<div class=\"bad small\">\(escape(backend.lastError))</div>"
        return """
            <tr data-backend="\(escape(backend.address))"><td class="mono">\(escape(backend.address))</td><td>\(escape(backend.tier))</td>\
            <td><span class="dot \(healthClass)"></span>\(escape(backend.health))</td><td>\(state)\(error)</td>\
            <td><div class="bars"><div class="bar"><i style="width:\(min(100, max(0, backend.desiredWeight)))%"></i></div>\
            <div class="bar applied"><i style="width:\(min(100, max(0, backend.appliedWeight ?? 0)))%"></i></div></div>\
            <span class="weight">\(backend.desiredWeight)</span> / <span class="applied-weight">\(applied)</span></td>\
            <td class="small">\(signals)</td></tr>
            """
    }

    /// `&`, `<`, `>`, `"` and `'` escaped: addresses, reasons and label values come from outside.
    package static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    private static func age(_ milliseconds: Int64) -> String {
        let seconds = max(0, milliseconds) / 1000
        if seconds < 120 { return "\(seconds) s" }
        if seconds < 7200 { return "\(seconds / 60) min" }
        return "\(seconds / 3600) h"
    }

    private static func format(_ value: Double) -> String {
        value.isFinite ? String(format: "%.3g", value) : "\(value)"
    }

    private static let style = """
        body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1d232a;background:#f5f6f8}
        header{display:flex;gap:1em;align-items:baseline;padding:.6em 1em;background:#1d232a;color:#fff}
        h1{font-size:1.2em;margin:0}h2{margin:.2em 0}h3{font-size:1em;margin:.8em 0 .3em}
        main{padding:1em;max-width:1200px}
        .pool{background:#fff;border-radius:8px;padding:.8em 1em;margin-bottom:1em;box-shadow:0 1px 3px #0002}
        .scroll{overflow-x:auto}table{border-collapse:collapse;width:100%}
        th,td{text-align:left;padding:.3em .5em;border-bottom:1px solid #e3e6ea;vertical-align:top;white-space:nowrap}
        .small{white-space:normal}
        th{font-weight:600;font-size:.85em;color:#5a6470}
        .mono{font-family:ui-monospace,monospace}.small{font-size:.85em}.muted{color:#8a939c}
        .ok{color:#1a7f37}.bad{color:#c62828}.warn{color:#9a6700}
        .dot{display:inline-block;width:.7em;height:.7em;border-radius:50%;margin-right:.35em;background:currentColor}
        .bars{display:inline-block;width:120px;vertical-align:middle;margin-right:.5em}
        .bar{height:8px;background:#e3e6ea;border-radius:4px;margin:2px 0;overflow:hidden}
        .bar i{display:block;height:100%;background:#2f6fde}.bar.applied i{background:#1a7f37}
        .decisions{padding-left:1.2em;margin:0}.decisions li{margin:.15em 0}
        .decisions time{color:#8a939c;font-size:.85em}.kind{display:inline-block;min-width:5em}
        @media (max-width:600px){th:nth-child(2),td:nth-child(2),th:nth-child(6),td:nth-child(6){display:none}.bars{width:60px}main{padding:.5em}}
        """

    private static let script = """
        setInterval(async()=>{try{const r=await fetch('/?fragment=pools');\
        if(r.ok)document.getElementById('pools').innerHTML=await r.text();}catch(e){}},2000);
        """
}
