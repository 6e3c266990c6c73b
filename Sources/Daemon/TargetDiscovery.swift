package import Collector
import Foundation
import HTTPFetch
import InputFiles
package import Policy
import PolicyLoading

/// Turns policies into scrape targets: each pool's static backends and its file_sd targets
/// (JSON or YAML, re-read when the file changes; a file that fails to load keeps its previous
/// targets, as Prometheus does), each scraped at its metrics endpoint with the policy's
/// settings and labelled `job=<pool>`, `instance=<backend address>`.
package struct TargetDiscovery: Sendable {
    private struct CachedFile: Sendable {
        var modified: Date
        var groups: [FileSDGroup]
    }

    private var files: [String: CachedFile] = [:]

    package init() {}

    /// The targets of `policies`, and the problems met reading file_sd files. A pool in `scaled`
    /// has the members its scale hook answered instead of its static and file_sd ones.
    package mutating func targets(for policies: PolicySet, scaled: [String: [BackendAddress]] = [:]) -> ([ScrapeTarget], [String]) {
        var targets: [ScrapeTarget] = []
        var problems: [String] = []
        var seen = Set<String>()
        for loaded in policies.policies {
            let policy = loaded.policy
            var members: [(BackendAddress, [String: String])] = (scaled[policy.pool] ?? policy.backends.staticAddresses).map { ($0, [:]) }
            members += (policy.failover?.standby ?? []).map { ($0, [:]) }
            if let fileSD = policy.backends.fileSD, scaled[policy.pool] == nil {
                let path = loaded.resolve(fileSD)
                let (groups, problem) = read(path)
                if let problem { problems.append(problem) }
                for group in groups {
                    var labels = group.labels
                    labels["__meta_filepath"] = nil
                    members += group.targets.map { ($0, labels) }
                }
            }
            for (address, labels) in members where seen.insert("\(policy.pool)/\(address)").inserted {
                targets.append(Self.target(address, labels: labels, policy: policy, resolve: loaded.resolve))
            }
        }
        return (targets, problems)
    }

    /// The groups of a file_sd file, re-read only when it changed (so a broken file is reported
    /// once, not at every poll); on a read or parse failure the last good ones, as Prometheus
    /// keeps them; a deleted file has no targets, as in Prometheus.
    private mutating func read(_ path: String) -> ([FileSDGroup], String?) {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else {
            let known = files[path]
            files[path] = CachedFile(modified: .distantPast, groups: [])
            return (
                [], known == nil || known?.modified != .distantPast ? "\(path): the file_sd file is missing; the pool has no targets from it" : nil
            )
        }
        let modified = attributes[.modificationDate] as? Date ?? .distantPast
        if let cached = files[path], cached.modified == modified { return (cached.groups, nil) }
        let previous = files[path]?.groups ?? []
        files[path] = CachedFile(modified: modified, groups: previous)
        let text: String
        do {
            text = try InputFile.text(path)
        } catch {
            return (previous, "the file_sd file \(error)")
        }
        do {
            let groups = try FileSDLoader().load(text: text, path: path)
            files[path] = CachedFile(modified: modified, groups: groups)
            return (groups, nil)
        } catch {
            return (previous, error.description)
        }
    }

    /// The scrape target of one backend: its metrics endpoint (the policy's scheme, the backend's
    /// host, `scrape.port` or the backend's port, path and parameters) and settings.
    static func target(_ address: BackendAddress, labels: [String: String], policy: PoolPolicy, resolve: (String) -> String) -> ScrapeTarget {
        let scrape = policy.scrape
        let port = scrape.port ?? Int(address.port)
        var url = "\(scrape.scheme)://\(address.hostText):\(port)\(scrape.path)"
        let query = scrape.params.keys.sorted().flatMap { name in
            scrape.params[name]!.map { "\(URLQueryEncoding.component(name))=\(URLQueryEncoding.component($0))" }
        }
        if !query.isEmpty { url += (scrape.path.contains("?") ? "&" : "?") + query.joined(separator: "&") }
        var target = ScrapeTarget(
            job: policy.pool,
            instance: address.description,
            url: url,
            labels: labels,
            intervalMilliseconds: scrape.interval.milliseconds,
            timeoutMilliseconds: scrape.timeout.milliseconds,
            bodySizeLimit: scrape.bodySizeLimit.map(ScrapeSettings.effectiveBodySizeLimit) ?? ScrapeTarget.defaultBodySizeLimit,
            tls: TLSFiles(
                caFile: scrape.tls?.caFile.map(resolve),
                certFile: scrape.tls?.certFile.map(resolve),
                keyFile: scrape.tls?.keyFile.map(resolve),
                insecureSkipVerify: scrape.tls?.insecureSkipVerify ?? false
            ),
            basicAuth: scrape.basicAuth.map { BasicAuthFiles(username: $0.username, passwordFile: resolve($0.passwordFile)) },
            bearerTokenFile: scrape.bearerTokenFile.map(resolve)
        )
        target.scraped = scrape.enabled
        return target
    }
}
