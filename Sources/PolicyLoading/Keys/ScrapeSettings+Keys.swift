import Policy

extension ScrapeSettings {
    static var keys: PolicySection<ScrapeSettings> {
        PolicySection(
            "How each backend's metrics are scraped.",
            template: ScrapeSettings(),
            keys: [
                .value("interval", \.interval, .duration, "Time between scrapes."),
                .value("timeout", \.timeout, .duration, "Scrape timeout, at most the interval."),
                .value("path", \.path, .string(.urlPath), "The metrics endpoint's HTTP path."),
                .value("scheme", \.scheme, .enumeration(["http", "https"]), "The metrics endpoint's scheme."),
                .value(
                    "port",
                    \.port,
                    .integer(1...65_535),
                    "The metrics port, when it differs from the backend's traffic port (an exporter beside it)."
                ),
                .custom(
                    "params",
                    SchemaNode(
                        .map(
                            key: .text,
                            value: SchemaNode(.list(SchemaNode(.string(.text), "A value."), minimumCount: 1), "The parameter's values.")
                        ),
                        "URL query parameters sent with each scrape, each name with a list of values."
                    ),
                    load: { checked, settings, _ in
                        guard case .map(let entries) = checked.value else { return }
                        for entry in entries {
                            if let name = String(checked: entry.key.value), let values = [String](checked: entry.value.value) {
                                settings.params[name] = values
                            }
                        }
                    },
                    encode: { settings in
                        settings.params.isEmpty
                            ? nil
                            : .object(settings.params.sorted { $0.key < $1.key }.map { PolicyDocument.Entry(key: $0.key, value: $0.value.document) })
                    }
                ),
                .custom(
                    "body_size_limit",
                    SchemaNode(
                        .string(.byteSize),
                        "The body size after decompression at which a scrape fails (at most 1GiB; 0: 1GiB, as Prometheus' 0 means no limit).",
                        default: .text("16MiB")
                    ),
                    load: { checked, settings, _ in settings.bodySizeLimit = String(checked: checked.value).flatMap(ByteSize.parse) },
                    encode: { $0.bodySizeLimit.map(PolicyDocument.integer) }
                ),
                .section("tls", \.tls, ScrapeTLS.keys),
                .section("basic_auth", \.basicAuth, ScrapeBasicAuth.keys),
                .value("bearer_token_file", \.bearerTokenFile, .string(.path), "A file holding a bearer token sent as Authorization: Bearer."),
            ],
            finish: { object, settings, builder in
                if !object.has("timeout") { settings.timeout = Swift.min(settings.timeout, settings.interval) }
                if settings.tls != nil && settings.scheme != "https" {
                    builder.report("scrape.tls is set but scrape.scheme is http; set scheme: https", at: object.position(of: "tls"))
                }
                if settings.basicAuth != nil && settings.bearerTokenFile != nil {
                    builder.report("scrape takes only one of \"basic_auth\", \"bearer_token_file\"", at: object.position(of: "bearer_token_file"))
                }
                builder.requireLongerThanZero("interval", settings.interval, in: object)
                if object.has("timeout"), settings.timeout > settings.interval {
                    builder.report(
                        "scrape.timeout (\(settings.timeout)) must not exceed scrape.interval (\(settings.interval))",
                        at: object.position(of: "timeout")
                    )
                }
            }
        )
    }
}

extension ScrapeTLS {
    static var keys: PolicySection<ScrapeTLS> {
        PolicySection(
            "TLS for https endpoints; files only.",
            template: ScrapeTLS(),
            keys: [
                .value("ca_file", \.caFile, .string(.path), "CA certificates to verify the endpoint with."),
                .value("cert_file", \.certFile, .string(.path), "Client certificate."),
                .value("key_file", \.keyFile, .string(.path), "Client certificate's key."),
                .value("insecure_skip_verify", \.insecureSkipVerify, .boolean, "Skip verifying the endpoint's certificate."),
            ],
            finish: { object, tls, builder in
                // A client certificate is presented with its key, as Prometheus requires both.
                if (tls.certFile == nil) != (tls.keyFile == nil) {
                    let given = tls.certFile == nil ? "key_file" : "cert_file"
                    builder.report(
                        "\(object.path(given)) needs \(given == "cert_file" ? "key_file" : "cert_file") too: a client certificate goes with its key",
                        at: object.position(of: given)
                    )
                }
            }
        )
    }
}

extension ScrapeBasicAuth {
    static var keys: PolicySection<ScrapeBasicAuth> {
        PolicySection(
            "HTTP basic authentication.",
            template: ScrapeBasicAuth(username: "", passwordFile: ""),
            keys: [
                .value("username", \.username, .string(.text), "The user name.", required: true),
                .value(
                    "password_file",
                    \.passwordFile,
                    .string(.path),
                    "A file holding the password (read at each scrape, never logged).",
                    required: true
                ),
            ]
        )
    }
}
