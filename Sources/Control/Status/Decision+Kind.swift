package import Policy

extension Decision.Action {
    /// The journal's `kind` for this action (`weights`, `scale`, `eject`, `failover`, ...).
    package var kind: String {
        switch self {
        case .weights: "weights"
        case .scale: "scale"
        case .scaleFailed: "scale_failed"
        case .eject: "eject"
        case .ejectionCapped: "ejection_capped"
        case .restore: "restore"
        case .panic: "panic"
        case .failover: "failover"
        case .failoverBlocked: "failover_blocked"
        case .failback: "failback"
        case .drain: "drain"
        case .undrain: "undrain"
        case .rejected: "rejected"
        }
    }

    /// Whether the action changes where traffic goes (and so needs the applier).
    var movesTraffic: Bool {
        switch self {
        case .scale, .scaleFailed, .ejectionCapped, .failoverBlocked, .rejected: false
        default: true
        }
    }
}
