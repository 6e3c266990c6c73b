package import Policy

/// Renders the `backend` section Ballast owns when `apply.haproxy.fragment` is set: the balance
/// directives and one server per backend, so an HAProxy restart comes back with the pool's
/// current members, weights and states. Server names come from the address (``serverName``), the
/// same names `add server` uses at runtime.
package struct HAProxyBackendFragment: Sendable {
    package var pool: String
    package var backend: String
    package var directives: [String]

    package init(pool: String, backend: String, directives: [String]) {
        self.pool = pool
        self.backend = backend
        self.directives = directives
    }

    /// The server name Ballast gives a backend: `ballast_` and the address (HAProxy names take
    /// letters, digits, `.`, `:`, `-` and `_`; an IPv6 address loses its brackets).
    package static func serverName(_ address: BackendAddress) -> String {
        "ballast_" + address.description.filter { $0 != "[" && $0 != "]" }
    }

    /// The file's text for `routing`.
    package func render(_ routing: [BackendRouting]) -> String {
        var lines = ["# Written by Ballast for pool \(pool); every membership change rewrites it.", "backend \(backend)"]
        lines += directives.map { "    " + $0 }
        for backend in routing.sorted(by: { $0.address < $1.address }) {
            let (mode, weight) = HAProxyApplier.target(backend)
            var line = "    server \(Self.serverName(backend.address)) \(backend.address) weight \(weight ?? max(0, min(backend.weight, 256))) check"
            switch mode {
            case .ready: break
            case .drain: line = "    server \(Self.serverName(backend.address)) \(backend.address) weight 0 check"
            case .maint: line += " disabled"
            }
            if backend.state == .standby { line += " backup" }
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
