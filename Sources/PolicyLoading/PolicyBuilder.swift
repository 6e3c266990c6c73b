import Policy

/// Turns a schema-checked tree into a ``PoolPolicy``, checking what spans several keys:
/// min ≤ max, references to defined signals, one-of choices, proxy weight ranges.
struct PolicyBuilder {
    /// The problems found so far.
    private(set) var problems: [(SourcePosition, String)] = []
    /// Names defined under `signals`, in file order.
    private(set) var signalNames: [String] = []

    mutating func report(_ message: String, at position: SourcePosition) {
        problems.append((position, message))
    }

    mutating func build(_ root: CheckedObject) -> PoolPolicy? {
        signalNames = root.map("signals")?.compactMap { if case .text(let name) = $0.key.value { name } else { nil } } ?? []
        let backends = root.object("backends").flatMap { buildBackends($0) }
        let scrape = root.object("scrape").map { buildScrape($0) } ?? ScrapeSettings()
        let evaluationInterval = root.duration("evaluation_interval") ?? PoolPolicy.defaultEvaluationInterval
        if evaluationInterval == .zero { report("evaluation_interval must be longer than 0s", at: root.position(of: "evaluation_interval")) }
        let signals = (root.map("signals") ?? []).compactMap { entry -> SignalDefinition? in
            guard case .text(let name) = entry.key.value, case .text(let expression) = entry.value.value else { return nil }
            return SignalDefinition(name: name, expression: expression)
        }
        let weights = root.object("weights").map { buildWeights($0) }
        let health = root.object("health").map { buildHealth($0) } ?? HealthPolicy()
        let failover = root.object("failover").map { buildFailover($0) }
        let scaling = root.object("scaling").flatMap { buildScaling($0) }
        let capacity = root.object("capacity").flatMap { object in
            object.number("per_replica_rps").map { CapacityModel(perReplicaRPS: $0, startup: object.duration("startup") ?? .zero) }
        }
        let cost = root.object("cost").flatMap { $0.number("per_replica_hour").map(CostModel.init(perReplicaHour:)) }
        let replay = root.object("replay").map { buildReplay($0) }
        let apply = root.object("apply").map { buildApply($0) } ?? ApplySettings()
        if let weights { checkWeightRange(weights, against: apply, root: root) }
        if let failover, let backends { checkStandbyOverlap(failover, backends: backends, root: root) }
        if let backends, backends.fileSD == nil, let entries = root.object("weights")?.map("static") {
            let known = Set(backends.staticAddresses + (failover?.standby ?? []))
            for entry in entries {
                if case .address(let address) = entry.key.value, !known.contains(address) {
                    report("weights.static names \(address), which is not a backend of the pool", at: entry.key.position)
                }
            }
        }
        guard let pool = root.text("pool"), let backends, problems.isEmpty else { return nil }
        return PoolPolicy(
            pool: pool,
            backends: backends,
            scrape: scrape,
            evaluationInterval: evaluationInterval,
            signals: signals,
            weights: weights,
            health: health,
            failover: failover,
            scaling: scaling,
            capacity: capacity,
            cost: cost,
            replay: replay,
            apply: apply
        )
    }

    /// Reports `name` at `position` unless it is defined under `signals`.
    mutating func requireSignal(_ name: String, at position: SourcePosition, usedBy keyPath: String) {
        guard !signalNames.contains(name) else { return }
        let hint: String
        if let typo = Spelling.hint(for: name, among: signalNames) {
            hint = typo
        } else if signalNames.isEmpty {
            hint = "; define it under signals with a PromQL expression"
        } else {
            hint = "; defined signals: \(signalNames.joined(separator: ", "))"
        }
        report("\(keyPath) refers to signal \(name.quotedForMessage), which is not defined under signals\(hint)", at: position)
    }

    /// Reports when `lower` exceeds `upper` (either may be a default); skipped when either key's own
    /// value was invalid, since that is already reported.
    mutating func requireOrdered<T: Comparable & CustomStringConvertible>(
        _ lowerKey: String,
        _ lower: T?,
        _ upperKey: String,
        _ upper: T?,
        in object: CheckedObject
    ) {
        guard let lower, let upper, lower > upper, !object.isInvalid(lowerKey), !object.isInvalid(upperKey) else { return }
        report(
            "\(object.path(upperKey)) (\(Self.format(upper))) must not be less than \(object.path(lowerKey)) (\(Self.format(lower)))",
            at: object.position(of: upperKey)
        )
    }

    private static func format(_ value: some CustomStringConvertible) -> String {
        (value as? Double)?.compact ?? value.description
    }

    /// Reports unless exactly one of `keys` is present; returns the present one.
    mutating func requireOne(of keys: [String], in object: CheckedObject, what: String) -> String? {
        let present = keys.filter(object.has)
        if present.count == 1 { return present[0] }
        let list = keys.map { "\"\($0)\"" }.joined(separator: ", ")
        if present.isEmpty {
            report("\(what) needs one of \(list)", at: object.position)
        } else {
            report("\(what) takes only one of \(list)", at: object.position(of: present[1]))
        }
        return nil
    }

    private mutating func buildBackends(_ object: CheckedObject) -> BackendSource? {
        var addresses: [BackendAddress] = []
        var seen: Set<BackendAddress> = []
        for item in object.list("static") ?? [] {
            guard case .address(let address) = item.value else { continue }
            if !seen.insert(address).inserted {
                report("backend \(address) is listed twice in backends.static", at: item.position)
                continue
            }
            addresses.append(address)
        }
        if !object.has("static") && !object.has("file_sd") {
            report("backends needs \"static\" addresses, a \"file_sd\" file, or both", at: object.position)
            return nil
        }
        return BackendSource(staticAddresses: addresses, fileSD: object.text("file_sd"))
    }

    private mutating func buildScrape(_ object: CheckedObject) -> ScrapeSettings {
        let defaults = ScrapeSettings()
        var params: [String: [String]] = [:]
        for entry in object.map("params") ?? [] {
            guard case .text(let name) = entry.key.value, case .list(let values) = entry.value.value else { continue }
            params[name] = values.compactMap { if case .text(let value) = $0.value { value } else { nil } }
        }
        let tls = object.object("tls").map {
            ScrapeTLS(
                caFile: $0.text("ca_file"),
                certFile: $0.text("cert_file"),
                keyFile: $0.text("key_file"),
                insecureSkipVerify: $0.boolean("insecure_skip_verify") ?? false
            )
        }
        let basicAuth = object.object("basic_auth").flatMap { auth in
            auth.text("username").flatMap { username in auth.text("password_file").map { ScrapeBasicAuth(username: username, passwordFile: $0) } }
        }
        let settings = ScrapeSettings(
            interval: object.duration("interval") ?? defaults.interval,
            timeout: object.duration("timeout") ?? Swift.min(defaults.timeout, object.duration("interval") ?? defaults.interval),
            path: object.text("path") ?? defaults.path,
            scheme: object.text("scheme") ?? defaults.scheme,
            port: object.integer("port"),
            params: params,
            bodySizeLimit: object.text("body_size_limit").flatMap(ByteSize.parse),
            tls: tls,
            basicAuth: basicAuth,
            bearerTokenFile: object.text("bearer_token_file")
        )
        if tls != nil && settings.scheme != "https" {
            report("scrape.tls is set but scrape.scheme is http; set scheme: https", at: object.position(of: "tls"))
        }
        if basicAuth != nil && settings.bearerTokenFile != nil {
            report("scrape takes only one of \"basic_auth\", \"bearer_token_file\"", at: object.position(of: "bearer_token_file"))
        }
        if settings.interval == .zero { report("scrape.interval must be longer than 0s", at: object.position(of: "interval")) }
        if let timeout = object.duration("timeout"), timeout > settings.interval {
            report("scrape.timeout (\(timeout)) must not exceed scrape.interval (\(settings.interval))", at: object.position(of: "timeout"))
        }
        return settings
    }

    private mutating func checkStandbyOverlap(_ failover: FailoverPolicy, backends: BackendSource, root: CheckedObject) {
        let active = Set(backends.staticAddresses)
        guard let standby = root.object("failover")?.list("standby") else { return }
        for item in standby {
            if case .address(let address) = item.value, active.contains(address) {
                report("standby \(address) is also an active backend in backends.static", at: item.position)
            }
        }
    }
}
