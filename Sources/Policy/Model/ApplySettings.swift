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
    /// nginx's passive check on each server: failures within `failTimeout` that mark it down.
    package var maxFails: Int
    /// nginx's `fail_timeout`: the window for `maxFails` and how long a failed server rests.
    package var failTimeout: PolicyDuration
    /// The shortest time between two reloads; weight-only changes wait for it and coalesce, while
    /// a backend leaving rotation (ejected, drained, gone) reloads at once. Each reload starts new
    /// workers and lets the old ones finish their connections, so reloading every evaluation would
    /// pile up workers on a busy proxy.
    package var minReloadInterval: PolicyDuration
    /// How long the test and reload commands may each run.
    package var commandTimeout: PolicyDuration
    /// A file whose text becomes the upstream file, with `{{upstream}}`, `{{pool}}`,
    /// `{{balance}}` and `{{servers}}` filled in, for directives Ballast does not write
    /// (`keepalive`, `zone`, ...); `nil` renders the plain block.
    package var template: String?

    /// Creates nginx apply settings with the stock test and reload commands and nginx's own
    /// passive-check defaults.
    package init(
        file: String,
        upstream: String,
        test: [String] = ["nginx", "-t"],
        reload: [String] = ["nginx", "-s", "reload"],
        maxFails: Int = 1,
        failTimeout: PolicyDuration = .seconds(10),
        minReloadInterval: PolicyDuration = .seconds(5),
        commandTimeout: PolicyDuration = .seconds(10),
        template: String? = nil
    ) {
        self.template = template
        self.file = file
        self.upstream = upstream
        self.test = test
        self.reload = reload
        self.maxFails = maxFails
        self.failTimeout = failTimeout
        self.minReloadInterval = minReloadInterval
        self.commandTimeout = commandTimeout
    }
}

/// Applying weights and state to HAProxy through its Runtime API.
package struct HAProxyApply: Sendable, Hashable {
    /// Where the Runtime API listens.
    package var endpoint: Endpoint
    /// The HAProxy backend whose servers are the pool's backends.
    package var backend: String
    /// How long one Runtime API command may take.
    package var timeout: PolicyDuration
    /// A configuration file in which Ballast owns the whole `backend` section (balance, servers,
    /// weights, states), rewritten when membership changes so an HAProxy restart keeps it; HAProxy
    /// loads it with another `-f`. Without it, the backend stays as haproxy.cfg defines it and
    /// only runtime state is managed.
    package var fragment: String?
    /// The command that validates the configuration with the new fragment (default
    /// `haproxy -c -f /etc/haproxy/haproxy.cfg -f FRAGMENT`).
    package var check: [String]?
    /// How long a server leaving the pool drains before it goes to maintenance (and, if Ballast
    /// added it, is deleted), when its connections do not reach zero first.
    package var drainTimeout: PolicyDuration

    /// Creates HAProxy apply settings.
    package init(
        endpoint: Endpoint,
        backend: String,
        timeout: PolicyDuration = .seconds(2),
        fragment: String? = nil,
        check: [String]? = nil,
        drainTimeout: PolicyDuration = .seconds(30)
    ) {
        self.endpoint = endpoint
        self.backend = backend
        self.timeout = timeout
        self.fragment = fragment
        self.check = check
        self.drainTimeout = drainTimeout
    }

    /// A Runtime API endpoint.
    package enum Endpoint: Sendable, Hashable {
        /// A unix socket path (`stats socket`).
        case socket(String)
        /// A TCP address.
        case address(BackendAddress)
    }
}
