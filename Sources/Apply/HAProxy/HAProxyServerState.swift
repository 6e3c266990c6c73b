package import Policy

/// One server of a HAProxy backend as `show servers state BACKEND` reports it (format version 1).
package struct HAProxyServerState: Sendable, Hashable {
    package var name: String
    /// `srv_addr:srv_port`: the address HAProxy connects to (resolved, for a host name).
    package var address: BackendAddress?
    /// `srv_fqdn:srv_port`, for a server configured by host name.
    package var hostAddress: BackendAddress?
    package var adminState: Int
    package var weight: Int

    /// The administrative state Ballast sets: `ready`, `drain` or `maint`.
    package var state: HAProxyServerMode {
        if adminState & 0x01 != 0 { return .maint }  // SRV_ADMF_FMAINT
        if adminState & 0x08 != 0 { return .drain }  // SRV_ADMF_FDRAIN
        return .ready
    }

    /// Parses the answer of `show servers state BACKEND`; throws when HAProxy answered with an
    /// error (an unknown backend) instead of the table.
    package static func parse(_ answer: String, backend: String) throws(HAProxyError) -> [HAProxyServerState] {
        let lines = answer.split(whereSeparator: \.isNewline)
        guard let version = lines.first, version.trimmingCharacters == "1" else {
            throw HAProxyError.unknownBackend(backend, answer: answer)
        }
        var header: [Substring] = []
        var servers: [HAProxyServerState] = []
        for line in lines.dropFirst() {
            let fields = line.split(separator: " ")
            if line.hasPrefix("#") {
                header = Array(fields.dropFirst())
                continue
            }
            func field(_ name: String) -> Substring? {
                header.firstIndex(of: Substring(name)).flatMap { $0 < fields.count ? fields[$0] : nil }
            }
            guard let name = field("srv_name"), let admin = field("srv_admin_state").flatMap({ Int($0) }),
                let weight = field("srv_uweight").flatMap({ Int($0) })
            else { continue }
            func address(_ host: Substring?) -> BackendAddress? {
                guard let host, host != "-", let port = field("srv_port") else { return nil }
                return try? BackendAddress(parsing: "\(host.contains(":") ? "[\(host)]" : String(host)):\(port)")
            }
            servers.append(
                HAProxyServerState(
                    name: String(name),
                    address: address(field("srv_addr")),
                    hostAddress: address(field("srv_fqdn")),
                    adminState: admin,
                    weight: weight
                )
            )
        }
        return servers
    }
}

/// A backend's servers, matched to the pool's backends: by the name Ballast gives the servers it
/// adds, else by the address HAProxy connects to, else by the host name it was configured with.
package struct HAProxyServers: Sendable {
    package var all: [HAProxyServerState]

    package func server(for address: BackendAddress) -> HAProxyServerState? {
        all.first { $0.name == HAProxyBackendFragment.serverName(address) }
            ?? all.first { $0.address == address }
            ?? all.first { $0.hostAddress == address }
    }

    /// The servers no address of `pool` matches.
    package func others(than pool: [BackendAddress]) -> [HAProxyServerState] {
        let matched = Set(pool.compactMap { server(for: $0)?.name })
        return all.filter { !matched.contains($0.name) }.sorted { $0.name < $1.name }
    }
}

/// A server's administrative state in HAProxy.
package enum HAProxyServerMode: String, Sendable, Hashable {
    case ready
    case drain
    case maint
}

extension Substring {
    fileprivate var trimmingCharacters: Substring {
        var text = self
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }
}
