package import Policy

/// `ballast run --config FILE`: the daemon's settings. Flags override each key; anything left
/// out takes the default shown here (`ballast run` listens on loopback unless told otherwise).
package struct DaemonConfiguration: Sendable, Hashable {
    /// Where the HTTP API listens (`host:port`).
    package var listen = "127.0.0.1:9464"
    /// The store file.
    package var storePath = "ballast.db"
    /// How long samples, decisions and rollups are kept (Prometheus' default: 15 days).
    package var retention = PolicyDuration(milliseconds: 15 * 86_400_000)
    /// The largest the store's data may grow before its oldest blocks go; nil: no bound.
    package var retentionSize: Int?
    /// Policy files and directories (every `*.yaml`/`*.yml` in them), relative to the config file.
    package var policies: [String] = []
    /// The file holding the admin token the operator endpoints require; nil: they are refused.
    package var adminTokenFile: String?
    package var logLevel = "info"
    /// `text` or `json`.
    package var logFormat = "text"
    /// Where every pool's signals are read from unless its policy says otherwise; nil: the
    /// local store. Relative file paths in it are resolved against the config file.
    package var signalsFrom: SignalsFrom?
    /// The HA pair this instance belongs to; nil: it runs alone and always applies.
    package var ha: HASettings?

    package init() {}
}

/// `ha`: two instances with the same policies share a leader lease in PostgreSQL; only the
/// holder applies and runs hooks.
package struct HASettings: Sendable, Hashable {
    /// A file holding the PostgreSQL connection URI (the password lives only there).
    package var dsnFile: String
    /// How long one renewal holds the lease: the follower takes over within this after the
    /// leader dies; a leader that cannot renew stops applying after half of it.
    package var lease = PolicyDuration.seconds(10)
    /// This instance's name in the lease; nil: `<hostname>:<listen port>`.
    package var instance: String?

    package init(dsnFile: String, lease: PolicyDuration = .seconds(10), instance: String? = nil) {
        self.dsnFile = dsnFile
        self.lease = lease
        self.instance = instance
    }
}

/// Loads the daemon's YAML configuration with the policy loader's schema checks and errors.
package struct DaemonConfigurationLoader: Sendable {
    package init() {}

    static let schema = SchemaNode(
        .object([
            SchemaField("listen", SchemaNode(.address, "Where the HTTP API listens, host:port.", default: .text(DaemonConfiguration().listen))),
            SchemaField(
                "store",
                SchemaNode(
                    .object([
                        SchemaField(
                            "path",
                            SchemaNode(.string(.path), "The store's database file.", default: .text(DaemonConfiguration().storePath))
                        ),
                        SchemaField(
                            "retention",
                            SchemaNode(.duration, "How long data is kept.", default: .text(DaemonConfiguration().retention.description))
                        ),
                        SchemaField("retention_size", SchemaNode(.string(.byteSize), "The most the data may take; the oldest blocks go first.")),
                    ]),
                    "The embedded time-series store."
                )
            ),
            SchemaField(
                "policies",
                SchemaNode(
                    .list(SchemaNode(.string(.path), "A policy file or a directory of them."), minimumCount: 1),
                    "Policy files and directories."
                )
            ),
            SchemaField(
                "admin",
                SchemaNode(
                    .object([SchemaField("token_file", SchemaNode(.string(.path), "A file holding the token operator commands must present."))]),
                    "Operator endpoints."
                )
            ),
            SchemaField("signals_from", SignalsFrom.keys.node),
            SchemaField(
                "ha",
                SchemaNode(
                    .object([
                        SchemaField(
                            "postgres",
                            required: true,
                            SchemaNode(
                                .object([
                                    SchemaField(
                                        "dsn_file",
                                        required: true,
                                        SchemaNode(.string(.path), "A file holding the connection URI, postgres://USER:PASSWORD@HOST:PORT/DATABASE.")
                                    )
                                ]),
                                "Where the lease and the shared engine states live."
                            )
                        ),
                        SchemaField(
                            "lease",
                            SchemaNode(.duration, "How long one renewal holds the lease.", default: .text(HASettings(dsnFile: "").lease.description))
                        ),
                        SchemaField("instance", SchemaNode(.string(.text), "This instance's name in the lease (default: hostname:port).")),
                    ]),
                    "Run as one of an HA pair: only the holder of a PostgreSQL lease applies."
                )
            ),
            SchemaField(
                "log",
                SchemaNode(
                    .object([
                        SchemaField(
                            "level",
                            SchemaNode(
                                .enumeration(["trace", "debug", "info", "notice", "warning", "error", "critical"]),
                                "Least severe level logged.",
                                default: .text("info")
                            )
                        ),
                        SchemaField("format", SchemaNode(.enumeration(["text", "json"]), "Log line format.", default: .text("text"))),
                    ]),
                    "Logging."
                )
            ),
        ]),
        "Ballast's daemon configuration."
    )

    /// Parses `yaml`; `path` names the file in diagnostics.
    package func load(yaml: String, path: String) throws(PolicyLoadError) -> DaemonConfiguration {
        try SchemaDocument.load(yaml: yaml, path: path, schema: Self.schema, emptyMessage: "the configuration is empty") { checked, problems in
            guard case .object(let root) = checked.value else { return nil }
            var configuration = DaemonConfiguration()
            if let listen = root.address("listen") { configuration.listen = listen.description }
            if let store = root.object("store") {
                configuration.storePath = store.text("path") ?? configuration.storePath
                configuration.retention = store.duration("retention") ?? configuration.retention
                configuration.retentionSize = store.text("retention_size").flatMap(ByteSize.parse)
            }
            configuration.policies = root.list("policies")?.compactMap { if case .text(let path) = $0.value { path } else { nil } } ?? []
            configuration.adminTokenFile = root.object("admin")?.text("token_file")
            if let ha = root.object("ha"), let dsnFile = ha.object("postgres")?.text("dsn_file") {
                configuration.ha = HASettings(dsnFile: dsnFile, lease: ha.duration("lease") ?? .seconds(10), instance: ha.text("instance"))
                if let lease = configuration.ha?.lease, lease.milliseconds < 1_000 {
                    problems.append((ha.position(of: "lease"), "ha.lease must be at least 1s: renewals run every quarter of it"))
                }
            }
            if let object = root.object("signals_from") {
                var builder = PolicyBuilder(root: root)
                configuration.signalsFrom = SignalsFrom.keys.build(object, &builder)
                problems += builder.problems
            }
            if let log = root.object("log") {
                configuration.logLevel = log.text("level") ?? configuration.logLevel
                configuration.logFormat = log.text("format") ?? configuration.logFormat
            }
            return configuration
        }
    }
}
