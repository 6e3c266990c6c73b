package import Logging
package import Policy

/// Builds a pool's applier from its policy's `apply` section.
package enum Appliers {
    /// The applier for `policy` loaded from `policyPath` (relative files and hooks are resolved
    /// against its directory); the logging applier for a policy that only observes, and under
    /// `--dry-run` a logging applier that logs the real one's plan.
    package static func make(
        for policy: PoolPolicy,
        policyPath: String?,
        dryRun: Bool,
        logger: Logger,
        clock: @escaping @Sendable () -> Int64
    )
        -> any Applier
    {
        let directory = policyPath.map(directory(of:))
        var appliers: [any Applier] = []
        if let nginx = policy.apply.nginx {
            appliers.append(NginxApplier(policy: policy, settings: nginx, directory: directory, logger: logger, clock: clock))
        }
        if let haproxy = policy.apply.haproxy {
            appliers.append(HAProxyApplier(policy: policy, settings: haproxy, directory: directory, logger: logger, clock: clock))
        }
        if let exec = policy.apply.exec { appliers.append(ExecApplier(hook: exec, directory: directory, logger: logger)) }
        let real: (any Applier)? =
            switch appliers.count {
            case 0: nil
            case 1: appliers[0]
            default: CompositeApplier(appliers)
            }
        if dryRun || real == nil { return LoggingApplier(logger: logger, planner: real) }
        return real!
    }

    /// `path` as written in a policy: absolute as it is, relative against the policy's directory.
    package static func resolve(_ path: String, against directory: String?) -> String {
        guard let directory, directory != ".", !path.hasPrefix("/") else { return path }
        return "\(directory)/\(path)"
    }

    /// The directory part of a path (`.` for a bare file name).
    package static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
