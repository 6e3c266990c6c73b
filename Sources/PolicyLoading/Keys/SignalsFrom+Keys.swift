import Policy

extension SignalsFrom {
    /// `signals_from`, in a policy and in the daemon's configuration alike.
    static var keys: PolicySection<SignalsFrom> {
        PolicySection(
            "A Prometheus-compatible HTTP API (Prometheus, Thanos, Mimir, VictoriaMetrics) to read signals from instead of the local store.",
            template: SignalsFrom(url: ""),
            keys: [
                .value("url", \.url, .string(.text), "The server's base URL, e.g. http://prometheus:9090.", required: true),
                .value("bearer_token_file", \.bearerTokenFile, .string(.path), "A file holding a bearer token sent as Authorization: Bearer."),
                .section("basic_auth", \.basicAuth, ScrapeBasicAuth.keys),
                .section("tls", \.tls, ScrapeTLS.keys),
                .value("timeout", \.timeout, .duration, "How long one query may take; a slower one is that signal's error."),
                .value(
                    "job",
                    \.job,
                    .string(.text),
                    "The job label the server gives this pool's backends (default: the pool's name, as Ballast labels its own scrapes)."
                ),
            ],
            finish: { object, settings, builder in
                let url = settings.url
                if object.has("url"), !object.isInvalid("url"),
                    !(url.hasPrefix("http://") || url.hasPrefix("https://")) || url.dropFirst(url.hasPrefix("https://") ? 8 : 7).isEmpty
                        || url.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F })
                {
                    builder.report(
                        "signals_from.url must be an http:// or https:// URL without spaces, not \(url.quotedForMessage)",
                        at: object.position(of: "url")
                    )
                }
                let authority = url.drop { $0 != "/" }.dropFirst(2).prefix { $0 != "/" }
                if authority.contains("@") {
                    builder.report(
                        "signals_from.url must not hold credentials; use basic_auth with a password_file, or bearer_token_file",
                        at: object.position(of: "url")
                    )
                }
                if url.contains("?") || url.contains("#") {
                    builder.report("signals_from.url is the server's base URL, without a query or fragment", at: object.position(of: "url"))
                }
                if let job = settings.job, job.isEmpty {
                    builder.report("signals_from.job must not be empty; leave it out to use the pool's name", at: object.position(of: "job"))
                }
                if settings.tls != nil && !url.hasPrefix("https://") {
                    builder.report("signals_from.tls is set but the url is not https://", at: object.position(of: "tls"))
                }
                if settings.basicAuth != nil && settings.bearerTokenFile != nil {
                    builder.report(
                        "signals_from takes only one of \"basic_auth\", \"bearer_token_file\"",
                        at: object.position(of: "bearer_token_file")
                    )
                }
                builder.requireLongerThanZero("timeout", settings.timeout, in: object)
            }
        )
    }
}
