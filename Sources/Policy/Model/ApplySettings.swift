/// Where a pool's decisions are applied. Every target is optional; none means observe only.
package struct ApplySettings: Sendable, Hashable {
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
package struct NginxApply: Sendable, Hashable {
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
