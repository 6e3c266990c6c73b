package import Policy
import Query
package import RemoteQuery
import Store
import Synchronization

/// Signals as the same per-backend instant queries against a Prometheus-compatible HTTP API
/// (`signals_from`), all of a pool's queries at once. Each signal is scoped to the pool's
/// backends by `job` (`signals_from.job`, else the pool's name, as Ballast labels its own
/// scrapes) and sent as PromQL text; rows are matched to backends by `instance`, which may
/// also be the backend's host with `scrape.port` (how a Prometheus scraping an exporter beside
/// the backend labels it). A server that is down, slow or answers an error makes each signal
/// a failure with the server's reason: the engine's missing-metric rules apply, never a zero.
/// For `scrape: none`, `up{job=...}` is read the same way and gives each backend's health.
///
/// An evaluation waits for the server at most ``patience``: a slow or hanging server must not
/// hold back the evaluation a failed scrape triggered (failover comes from Ballast's own
/// scrapes). A read still running then goes on in the background up to the query timeout, and
/// the evaluation gets the pool's last completed readout instead, stamped with when it was
/// measured, so the engine's staleness rules judge it; one read per pool runs at a time.
package final class RemoteSignalSource: SignalSource {
    package let client: PrometheusClient
    /// The `job` label of the pool's backends on the server; nil: the pool's name.
    package let job: String?
    private let reads = Mutex<[String: Task<SignalReadout, Never>]>([:])
    private let latest = Mutex<[String: SignalReadout]>([:])

    /// The longest an evaluation waits for the server.
    static let patience = Duration.milliseconds(500)

    package init(client: PrometheusClient, job: String?) {
        self.client = client
        self.job = job
    }

    package func read(_ policy: CompiledPolicy, backends: Set<BackendAddress>, at time: Int64) async -> SignalReadout {
        let pool = policy.pool
        let running = reads.withLock { reads in
            if let running = reads[pool] { return running }
            let read = Task {
                let readout = await self.query(policy, backends: backends, at: time)
                self.latest.withLock { $0[pool] = readout }
                self.reads.withLock { $0[pool] = nil }
                return readout
            }
            reads[pool] = read
            return read
        }
        // The read goes on past the patience; only this evaluation stops waiting for it.
        if let readout = await Bounded.value(within: Self.patience, { await running.value }) { return readout }
        let reason = "\(client.endpoint.url) has not answered within \(Self.patience); the query goes on in the background"
        guard var previous = latest.withLock({ $0[pool] }) else {
            var waiting = SignalReadout()
            waiting.source = "remote"
            for (name, _) in policy.unscopedSignals { waiting.failures[name] = reason }
            if !policy.policy.scrape.enabled { waiting.upFailure = reason }
            return waiting
        }
        // Values keep their age (the engine judges it); health without a fresh answer is unknown.
        if !policy.policy.scrape.enabled {
            previous.up = [:]
            previous.upFailure = reason
        }
        return previous
    }

    /// Every query of the pool, at once, matched to backends.
    private func query(_ policy: CompiledPolicy, backends: Set<BackendAddress>, at time: Int64) async -> SignalReadout {
        let job = self.job ?? policy.pool
        var queries = policy.unscopedSignals.map { (name: $0.name, text: CompiledPolicy.scoped($0.expr, pool: job).promQL) }
        // The health series a Prometheus records for every target it scrapes.
        let upQuery = policy.policy.scrape.enabled ? nil : "up{job=\(GoQuote.quoted(job))}"
        if let upQuery { queries.append((Self.upKey, upQuery)) }
        let client = self.client
        let answers = await withTaskGroup(of: Answer.self) { group in
            for query in queries {
                group.addTask { Answer(name: query.name, result: await Self.ask(client, query.text, at: time)) }
            }
            var answers: [String: Result<Value, RemoteQueryError>] = [:]
            for await answer in group { answers[answer.name] = answer.result }
            return answers
        }
        let alias = Self.alias(backends, metricsPort: policy.policy.scrape.port)
        var readout = SignalReadout()
        readout.source = "remote"
        readout.measuredAt = time
        for (name, _) in policy.unscopedSignals {
            switch answers[name] {
            case .success(let value)?: readout.assign(value, to: name, policy: policy, backends: backends, alias: alias)
            case .failure(let error)?: readout.failures[name] = "the remote query failed: \(error)"
            case nil: readout.failures[name] = "the remote query did not run"
            }
        }
        if upQuery != nil {
            switch answers[Self.upKey] {
            case .success(.vector(let rows))?:
                for row in rows {
                    guard let instance = row.labels["instance"],
                        let address = SignalReadout.backend(instance, among: backends, alias: alias)
                    else { continue }
                    readout.up[address] = row.value == 1
                }
            case .success(let value)?: readout.upFailure = "up gave a \(value.resultType), not one row per backend"
            case .failure(let error)?: readout.upFailure = "reading up from \(client.endpoint.url) failed: \(error)"
            case nil: readout.upFailure = "reading up did not run"
            }
        }
        return readout
    }

    /// One query's answer, by the signal it is for.
    private struct Answer: Sendable {
        var name: String
        var result: Result<Value, RemoteQueryError>
    }

    private static func ask(_ client: PrometheusClient, _ query: String, at time: Int64) async -> Result<Value, RemoteQueryError> {
        do {
            return .success(try await client.instant(query, at: time))
        } catch {
            return .failure(error)
        }
    }

    /// The key `up`'s answer is kept under, apart from the policy's signal names.
    private static let upKey = "\u{0}up"

    /// The instance label a server gives a backend whose metrics come from `metricsPort`
    /// (`host:metricsPort`) → the backend.
    private static func alias(_ backends: Set<BackendAddress>, metricsPort: Int?) -> (String) -> BackendAddress? {
        guard let metricsPort else { return { _ in nil } }
        let byEndpoint = Dictionary(backends.map { ("\($0.hostText):\(metricsPort)", $0) }, uniquingKeysWith: { first, _ in first })
        return { byEndpoint[$0] }
    }
}
