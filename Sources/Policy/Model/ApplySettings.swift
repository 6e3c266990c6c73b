/// Where a pool's decisions are applied. Every target is optional; none means observe only.
public struct ApplySettings: Sendable, Hashable, Codable {
    /// An nginx upstream file rewritten and reloaded.
    public var nginx: NginxApply?
    /// A HAProxy backend updated through the Runtime API.
    public var haproxy: HAProxyApply?
    /// A command given every decision as JSON on stdin.
    public var exec: HookCommand?

    /// Creates apply settings; empty by default.
    public init(nginx: NginxApply? = nil, haproxy: HAProxyApply? = nil, exec: HookCommand? = nil) {
        self.nginx = nginx
        self.haproxy = haproxy
        self.exec = exec
    }

    /// Whether the policy only observes.
    public var isEmpty: Bool { nginx == nil && haproxy == nil && exec == nil }
}

/// Applying weights to nginx: write an `upstream` block file, test the configuration, reload.
public struct NginxApply: Sendable, Hashable, Codable {
    /// The file holding the generated `upstream` block.
    public var file: String
    /// The upstream's name: an nginx identifier.
    public var upstream: String
    /// The configuration test command.
    public var test: [String]
    /// The reload command.
    public var reload: [String]

    /// Creates nginx apply settings with the stock test and reload commands.
    public init(
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
public struct HAProxyApply: Sendable, Hashable {
    /// Where the Runtime API listens.
    public var endpoint: Endpoint
    /// The HAProxy backend whose servers are the pool's backends.
    public var backend: String

    /// Creates HAProxy apply settings.
    public init(endpoint: Endpoint, backend: String) {
        self.endpoint = endpoint
        self.backend = backend
    }

    /// A Runtime API endpoint.
    public enum Endpoint: Sendable, Hashable {
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

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let endpoint: Endpoint =
            switch try container.onlyOne(of: [.socket, .address]) {
            case .address: .address(try container.decode(BackendAddress.self, forKey: .address))
            default: .socket(try container.decode(String.self, forKey: .socket))
            }
        self.init(endpoint: endpoint, backend: try container.decode(String.self, forKey: .backend))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch endpoint {
        case .socket(let path): try container.encode(path, forKey: .socket)
        case .address(let address): try container.encode(address, forKey: .address)
        }
        try container.encode(backend, forKey: .backend)
    }
}
