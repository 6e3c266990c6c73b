package import Policy

/// Renders a pool's routing as an nginx `upstream` block. Only validated values reach the text:
/// addresses are ``BackendAddress``es, the upstream name an identifier, the hash key checked by
/// the policy loader, numbers are numbers, so nothing a backend or a label says can add a
/// directive.
package struct NginxUpstream: Sendable, Hashable {
    package var pool: String
    package var name: String
    package var balance: BalanceAlgorithm
    package var hash: HashBalance?
    package var maxFails: Int
    package var failTimeout: PolicyDuration

    package init(pool: String, name: String, balance: BalanceAlgorithm, hash: HashBalance?, maxFails: Int, failTimeout: PolicyDuration) {
        self.pool = pool
        self.name = name
        self.balance = balance
        self.hash = hash
        self.maxFails = maxFails
        self.failTimeout = failTimeout
    }

    /// The upstream of `policy`'s nginx settings.
    package init(policy: PoolPolicy, nginx: NginxApply) {
        self.init(
            pool: policy.pool,
            name: nginx.upstream,
            balance: policy.balance,
            hash: policy.hash,
            maxFails: nginx.maxFails,
            failTimeout: nginx.failTimeout
        )
    }

    /// The file's text for `routing`: the plain `upstream` block, or `template` with its
    /// placeholders filled in. A serving backend keeps its weight (at least 1, nginx's smallest);
    /// an ejected or drained one, or one at weight 0, is `down`; a standby one is a `backup`
    /// where the algorithm allows it and `down` otherwise.
    package func render(_ routing: [BackendRouting], template: String? = nil) -> String {
        let servers = serverLines(routing)
        guard let template else {
            let lines =
                ["# Written by Ballast for pool \(pool); every change rewrites it.", "upstream \(name) {"]
                + (balanceLine.map { ["    " + $0] } ?? []) + servers.map { "    " + $0 } + ["}"]
            return lines.joined(separator: "\n") + "\n"
        }
        return Self.fill(template, ["upstream": name, "pool": pool, "balance": balanceLine ?? "", "servers": servers.joined(separator: "\n    ")])
    }

    /// `template` with each `{{name}}` (blanks inside the braces allowed) replaced by its value.
    static func fill(_ template: String, _ values: [String: String]) -> String {
        var result = ""
        var rest = Substring(template)
        while let open = rest.firstRange(of: "{{"), let close = rest[open.upperBound...].firstRange(of: "}}") {
            let key = String(rest[open.upperBound..<close.lowerBound].filter { $0 != " " && $0 != "\t" })
            result += rest[..<open.lowerBound]
            result += values[key] ?? String(rest[open.lowerBound..<close.upperBound])
            rest = rest[close.upperBound...]
        }
        return result + rest
    }

    /// The algorithm's directive, or `nil` for round robin (nginx's default).
    private var balanceLine: String? {
        switch balance {
        case .roundRobin: nil
        case .leastConn: "least_conn;"
        case .ipHash: "ip_hash;"
        case .hash: "hash \(hash?.key ?? "$remote_addr")\(hash?.consistent == true ? " consistent" : "");"
        case .randomTwo: "random two least_conn;"
        }
    }

    private func serverLines(_ routing: [BackendRouting]) -> [String] {
        let checks = "max_fails=\(maxFails) fail_timeout=\(Self.time(failTimeout))"
        return routing.sorted(by: { $0.address < $1.address }).map { backend in
            let weight = max(1, backend.weight)
            switch backend.state {
            case .serving, .slowStart:
                return backend.weight > 0 ? "server \(backend.address) weight=\(weight) \(checks);" : "server \(backend.address) down;"
            case .ejected, .drained:
                return "server \(backend.address) down;"
            case .standby:
                return balance.allowsBackupServers
                    ? "server \(backend.address) weight=\(weight) \(checks) backup;" : "server \(backend.address) down;"
            }
        }
    }

    /// A duration in nginx's syntax: whole seconds as `10s`, anything finer in milliseconds.
    private static func time(_ duration: PolicyDuration) -> String {
        duration.milliseconds % 1000 == 0 ? "\(duration.milliseconds / 1000)s" : "\(duration.milliseconds)ms"
    }

    /// Whether going from `old` to `new` takes a backend out of rotation or brings one in (a dead
    /// backend, a drain, a failover, a membership change), which must not wait for the reload
    /// interval; weight moves alone may.
    package static func changesRotation(from old: [BackendRouting], to new: [BackendRouting]) -> Bool {
        func rotation(_ routing: [BackendRouting]) -> [BackendAddress: String] {
            Dictionary(
                routing.map { backend in
                    let inRotation = (backend.state == .serving || backend.state == .slowStart) && backend.weight > 0
                    return (backend.address, inRotation ? "in" : backend.state.rawValue)
                },
                uniquingKeysWith: { first, _ in first }
            )
        }
        return rotation(old) != rotation(new)
    }
}
