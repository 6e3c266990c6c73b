import Apply
package import HTTPFetch
package import Policy
import RemoteQuery
import Synchronization

/// The source each pool's signals come from: its policy's `signals_from` (file paths relative
/// to the policy), else the daemon configuration's, else the local store. One client per
/// distinct server setting, made on first use and kept, so connections are reused between
/// evaluations; a reloaded policy naming another server gets its own.
package final class SignalRouter: SignalSource {
    private let local: any SignalSource
    private let shared: SignalsFrom?
    private let fetcher: HTTPFetcher
    private let userAgent: String
    private let remotes = Mutex<[SignalsFrom: RemoteSignalSource]>([:])

    /// `shared` is the configuration's `signals_from`, its paths already resolved.
    package init(local: any SignalSource, shared: SignalsFrom?, fetcher: HTTPFetcher, userAgent: String) {
        self.local = local
        self.shared = shared
        self.fetcher = fetcher
        self.userAgent = userAgent
    }

    package func read(_ policy: CompiledPolicy, backends: Set<BackendAddress>, at time: Int64) async -> SignalReadout {
        let own = policy.policy.signalsFrom?.resolvingPaths(besidePolicy: policy.path)
        guard let settings = own ?? shared else {
            return await local.read(policy, backends: backends, at: time)
        }
        return await remote(settings).read(policy, backends: backends, at: time)
    }

    private func remote(_ settings: SignalsFrom) -> RemoteSignalSource {
        remotes.withLock { remotes in
            if let known = remotes[settings] { return known }
            let source = RemoteSignalSource(
                client: PrometheusClient(endpoint: PrometheusEndpoint(settings), fetcher: fetcher, userAgent: userAgent),
                job: settings.job
            )
            remotes[settings] = source
            return source
        }
    }
}

extension PrometheusEndpoint {
    /// The endpoint `signals_from` describes.
    package init(_ settings: SignalsFrom) {
        self.init(
            url: settings.url,
            credentials: HTTPCredentials(
                bearerTokenFile: settings.bearerTokenFile,
                basicAuth: settings.basicAuth.map { BasicAuthFiles(username: $0.username, passwordFile: $0.passwordFile) }
            ),
            tls: TLSFiles(
                caFile: settings.tls?.caFile,
                certFile: settings.tls?.certFile,
                keyFile: settings.tls?.keyFile,
                insecureSkipVerify: settings.tls?.insecureSkipVerify ?? false
            ),
            timeoutMilliseconds: Int(settings.timeout.milliseconds)
        )
    }
}

extension SignalsFrom {
    /// The settings with their file paths relative to the directory of the policy file at
    /// `policyPath` (as hooks and file_sd are), the daemon's and replay's reading alike.
    package func resolvingPaths(besidePolicy policyPath: String) -> SignalsFrom {
        let directory = Appliers.directory(of: policyPath)
        return resolvingPaths { $0.hasPrefix("/") ? $0 : directory + "/" + $0 }
    }
}
