import Foundation
import Policy
import Testing

@testable import PolicyLoading

/// `signals_from` in a policy and in the daemon's configuration, and `scrape: none`.
@Suite struct SignalsFromTests {
    private static let backends = "pool: web\nbackends: {static: [\"127.0.0.1:9001\"]}\n"

    private func diagnostics(_ yaml: String, loader: PolicyLoader = PolicyLoader()) -> [String] {
        loader.diagnostics(yaml)
    }

    @Test func aPolicyReadsSignalsFromAndScrapeNoneAndWritesThemBack() throws {
        let yaml =
            Self.backends + """
                scrape: none
                signals_from:
                  url: https://mimir.example/prometheus
                  basic_auth: {username: ballast, password_file: secrets/mimir}
                  tls: {ca_file: ca.pem}
                  timeout: 3s
                  job: node
                """
        let policy = try PolicyLoader(sharedSignalsFrom: false).load(yaml: yaml, path: "p.yaml")
        #expect(!policy.scrape.enabled)
        #expect(
            policy.signalsFrom
                == SignalsFrom(
                    url: "https://mimir.example/prometheus",
                    basicAuth: ScrapeBasicAuth(username: "ballast", passwordFile: "secrets/mimir"),
                    tls: ScrapeTLS(caFile: "ca.pem"),
                    timeout: .seconds(3),
                    job: "node"
                )
        )
        let document = try JSONEncoder().encode(policy.document)
        let text = String(decoding: document, as: UTF8.self)
        #expect(text.contains(#""scrape":"none""#) && text.contains(#""url":"https:\/\/mimir.example\/prometheus""#))
        #expect(try PolicyLoader().load(yaml: text, path: "p.json") == policy)
        let defaults = try PolicyLoader().load(yaml: Self.backends + "signals_from: {url: \"http://127.0.0.1:9090\"}\n", path: "p.yaml")
        #expect(defaults.scrape.enabled && defaults.signalsFrom?.timeout == .seconds(10) && defaults.signalsFrom?.job == nil)
    }

    @Test func mistakesAreReportedWhereTheyAre() {
        #expect(
            diagnostics(Self.backends + "signals_from: {url: \"prometheus:9090\", tls: {insecure_skip_verify: true}, timeout: 0s}\n") == [
                #"p.yaml:3:21: signals_from.url must be an http:// or https:// URL without spaces, not "prometheus:9090""#,
                "p.yaml:3:45: signals_from.tls is set but the url is not https://",
                "p.yaml:3:84: signals_from.timeout must be longer than 0s",
            ]
        )
        #expect(
            diagnostics(
                Self.backends + "signals_from: {url: \"http://p:9090 x\", bearer_token_file: t, basic_auth: {username: u, password_file: f}}\n"
            ) == [
                #"p.yaml:3:21: signals_from.url must be an http:// or https:// URL without spaces, not "http://p:9090 x""#,
                #"p.yaml:3:59: signals_from takes only one of "basic_auth", "bearer_token_file""#,
            ]
        )
        #expect(
            diagnostics(Self.backends + "signals_from: {url: \"https://p\", tls: {cert_file: c.pem}, job: \"\"}\n") == [
                "p.yaml:3:51: signals_from.tls.cert_file needs key_file too: a client certificate goes with its key",
                "p.yaml:3:64: signals_from.job must not be empty; leave it out to use the pool's name",
            ]
        )
        #expect(
            diagnostics(Self.backends + "signals_from: {url: \"http://u:pw@p:9090/x?y=1\"}\n") == [
                "p.yaml:3:21: signals_from.url must not hold credentials; use basic_auth with a password_file, or bearer_token_file",
                "p.yaml:3:21: signals_from.url is the server's base URL, without a query or fragment",
            ]
        )
        #expect(diagnostics(Self.backends + "signals_from: {timeout: 1s}\n") == [#"p.yaml:3:15: signals_from is missing required key "url""#])
        #expect(diagnostics(Self.backends + "scrape: off\n") == ["p.yaml:3:9: scrape must be a mapping or none, not \"off\""])
        #expect(diagnostics(Self.backends + "scrape: none\n") == [])
        #expect(
            diagnostics(Self.backends + "scrape: none\n", loader: PolicyLoader(sharedSignalsFrom: false)) == [
                "p.yaml:3:9: scrape: none needs signals_from, in this policy or in the daemon's configuration: without Ballast's "
                    + "scrapes, up and the signals come from a Prometheus-compatible server"
            ]
        )
    }

    @Test func theDaemonConfigurationTakesSignalsFromForEveryPool() throws {
        let configuration = try DaemonConfigurationLoader().load(
            yaml: "policies: [p.yaml]\nsignals_from: {url: \"http://thanos:10902\", bearer_token_file: token}\n",
            path: "ballast.yaml"
        )
        #expect(configuration.signalsFrom == SignalsFrom(url: "http://thanos:10902", bearerTokenFile: "token"))
        #expect(configuration.signalsFrom?.resolvingPaths { "/etc/ballast/" + $0 }.bearerTokenFile == "/etc/ballast/token")
        let error = #expect(throws: PolicyLoadError.self) {
            try DaemonConfigurationLoader().load(yaml: "policies: [p.yaml]\nsignals_from: {url: \"ftp://x\", tiemout: 1s}\n", path: "bad.yaml")
        }
        #expect(error?.diagnostics.map { "\($0.line):\($0.column)" } == ["2:21", "2:32"])
    }
}
