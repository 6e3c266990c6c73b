/// Where a pool's decisions are applied. Every target is optional; none means observe only.
package struct ApplySettings: Sendable, Hashable, Codable {
    /// An nginx upstream file rewritten and reloaded.
    package var nginx: NginxApply?
    /// A HAProxy backend updated through the Runtime API.
    package var haproxy: HAProxyApply?
    /// A command given every decision as JSON on stdin.
    package var exec: HookCommand?

    /// Creates apply settings; empty by default.
    package init(nginx: NginxApply? = nil, haproxy: HAProxyApply? = nil, exec: HookCommand? = nil) {
        self.nginx = nginx
        self.haproxy = haproxy
        self.exec = exec
    }

    /// Whether the policy only observes.
    package var isEmpty: Bool { nginx == nil && haproxy == nil && exec == nil }
}

/// Applying weights to nginx: write an `upstream` block file, test the configuration, reload.
package struct NginxApply: Sendable, Hashable, Codable {
    /// The file holding the generated `upstream` block.
    package var file: String
    /// The upstream's name: an nginx identifier.
    package var upstream: String
    /// The configuration test command.
    package var test: [String]
    /// The reload command.
    package var reload: [String]

    /// Creates nginx apply settings with the stock test and reload commands.
    package init(
        file: String,
        upstream: String,
        test: [String] = ["nginx", "-t"],
        reload: [String] = ["nginx", "-s", "reload"]
    ) {
        self.file = file
        self.upstream = upstream
        self.test = test
        self.reload = reload
    }
}

/// Applying weights and state to HAProxy through its Runtime API.
package struct HAProxyApply: Sendable, Hashable {
    /// Where the Runtime API listens.
    package var endpoint: Endpoint
    /// The HAProxy backend whose servers are the pool's backends.
    package var backend: String

    /// Creates HAProxy apply settings.
    package init(endpoint: Endpoint, backend: String) {
        self.endpoint = endpoint
        self.backend = backend
    }

    /// A Runtime API endpoint.
    package enum Endpoint: Sendable, Hashable {
        /// A unix socket path (`stats socket`).
        case socket(String)
        /// A TCP address.
        case address(BackendAddress)
    }
}

/// The endpoint is written as the key naming its kind: `socket: PATH` or `address: HOST:PORT`.
extension HAProxyApply: Codable {
    enum CodingKeys: String, CodingKey {
        case socket, address, backend
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let endpoint: Endpoint =
            switch try container.onlyOne(of: [.socket, .address]) {
            case .address: .address(try container.decode(BackendAddress.self, forKey: .address))
            default: .socket(try container.decode(String.self, forKey: .socket))
            }
        self.init(endpoint: endpoint, backend: try container.decode(String.self, forKey: .backend))
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch endpoint {
        case .socket(let path): try container.encode(path, forKey: .socket)
        case .address(let address): try container.encode(address, forKey: .address)
        }
        try container.encode(backend, forKey: .backend)
    }
}
