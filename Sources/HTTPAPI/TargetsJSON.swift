import Collector
import Durations
import Foundation
import Query

#if canImport(Glibc)
import Glibc
#endif

/// `/api/v1/targets` and `/api/v1/metadata` in Prometheus 2.42's shapes, so Grafana and
/// scripts written for Prometheus read Ballast's unchanged.
enum TargetsJSON {
    /// `{"status":"success","data":{"activeTargets":[...],"droppedTargets":[]}}`, filtered by
    /// `state` (`active`, `dropped`, `any`) and `scrapePool` as Prometheus filters.
    static func targets(_ statuses: [TargetStatus], state: String?, scrapePool: String?) -> String {
        let showActive = state == nil || state == "" || state == "any" || state == "active"
        var out = "{\"status\":\"success\",\"data\":{\"activeTargets\":["
        let shown = showActive ? statuses.filter { scrapePool == nil || $0.target.job == scrapePool } : []
        out += shown.map(target).joined(separator: ",")
        out += "],\"droppedTargets\":[]}}"
        return out
    }

    private static func target(_ status: TargetStatus) -> String {
        let target = status.target
        let (scheme, address, path) = split(target.url)
        var discovered = target.labels
        discovered["__address__"] = address
        discovered["__metrics_path__"] = path
        discovered["__scheme__"] = scheme
        discovered["__scrape_interval__"] = PrometheusDuration.format(target.intervalMilliseconds)
        discovered["__scrape_timeout__"] = PrometheusDuration.format(target.timeoutMilliseconds)
        discovered["job"] = target.job
        let fields = [
            ("discoveredLabels", object(discovered)),
            ("labels", object(target.allLabels)),
            ("scrapePool", PrometheusJSON.quoted(target.job)),
            ("scrapeUrl", PrometheusJSON.quoted(target.url)),
            ("globalUrl", PrometheusJSON.quoted(target.url)),
            ("lastError", PrometheusJSON.quoted(status.lastError)),
            ("lastScrape", PrometheusJSON.quoted(status.lastScrape.map(rfc3339) ?? "0001-01-01T00:00:00Z")),
            ("lastScrapeDuration", GoFloat.format(status.lastDuration)),
            ("health", PrometheusJSON.quoted(status.health.rawValue)),
            ("scrapeInterval", PrometheusJSON.quoted(PrometheusDuration.format(target.intervalMilliseconds))),
            ("scrapeTimeout", PrometheusJSON.quoted(PrometheusDuration.format(target.timeoutMilliseconds))),
        ]
        return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }

    /// `{"status":"success","data":{"metric":[{"type":...,"help":...,"unit":...}]}}` from the
    /// targets' last successful scrapes, identical entries merged; `metric` filters, `limit`
    /// bounds the metrics listed (negative: all).
    static func metadata(_ statuses: [TargetStatus], metric: String?, limit: Int) -> String {
        var byMetric: [String: [MetricMetadata]] = [:]
        for status in statuses where status.health == .up {
            for (name, entry) in status.metadata where metric == nil || metric == name {
                if !(byMetric[name] ?? []).contains(entry) { byMetric[name, default: []].append(entry) }
            }
        }
        var names = byMetric.keys.sorted()
        if limit >= 0 { names = Array(names.prefix(limit)) }
        let entries = names.map { name in
            let list = byMetric[name]!.map { entry in
                "{\"type\":\(PrometheusJSON.quoted(entry.type)),\"help\":\(PrometheusJSON.quoted(entry.help)),\"unit\":\(PrometheusJSON.quoted(entry.unit))}"
            }
            return "\(PrometheusJSON.quoted(name)):[\(list.joined(separator: ","))]"
        }
        return "{\"status\":\"success\",\"data\":{\(entries.joined(separator: ","))}}"
    }

    private static func object(_ labels: [String: String]) -> String {
        "{" + labels.sorted { $0.key < $1.key }.map { "\(PrometheusJSON.quoted($0.key)):\(PrometheusJSON.quoted($0.value))" }.joined(separator: ",")
            + "}"
    }

    /// Scheme, `host:port` and path of a URL.
    private static func split(_ url: String) -> (String, String, String) {
        guard let schemeEnd = url.range(of: "://") else { return ("http", url, "/") }
        let scheme = String(url[..<schemeEnd.lowerBound])
        let rest = url[schemeEnd.upperBound...]
        let pathStart = rest.firstIndex(of: "/") ?? rest.endIndex
        let path = rest[pathStart...].split(separator: "?", maxSplits: 1).first.map(String.init) ?? "/"
        return (scheme, String(rest[..<pathStart]), path.isEmpty ? "/" : path)
    }

    /// RFC 3339 with fractional seconds trimmed as Go's RFC3339Nano trims them.
    static func rfc3339(_ milliseconds: Int64) -> String {
        var seconds = time_t(milliseconds / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        var text =
            "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
        let millis = Int(milliseconds % 1000)
        if millis > 0 {
            var fraction = String(millis + 1000).dropFirst()
            while fraction.last == "0" { fraction.removeLast() }
            text += "." + fraction
        }
        return text + "Z"
    }
}
