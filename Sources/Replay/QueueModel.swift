/// The latency model: each ready replica is a server with exponential service at
/// `capacity.per_replica_rps`, requests arrive as a Poisson stream at the offered load, one
/// queue feeds all replicas (a balancer with least-connections-like dispatch): M/M/c. The p99
/// response time is solved from M/M/c's exact response-time distribution; a load at or over
/// capacity has no steady state, and its p99 is infinite.
package struct QueueModel: Sendable {
    /// Requests per second one replica serves.
    package var perReplicaRPS: Double

    package init(perReplicaRPS: Double) {
        self.perReplicaRPS = perReplicaRPS
    }

    /// The probability that a request waits (Erlang C) with `servers` replicas at `load`.
    package func waitProbability(servers: Int, load: Double) -> Double {
        guard servers > 0 else { return 1 }
        let offered = load / perReplicaRPS
        let utilization = offered / Double(servers)
        guard utilization < 1 else { return 1 }
        // Erlang B by its stable recursion, then C from B.
        var blocking = 1.0
        for k in 1...servers { blocking = offered * blocking / (Double(k) + offered * blocking) }
        return blocking / (1 - utilization * (1 - blocking))
    }

    /// The 99th-percentile response time in seconds (`.infinity` at or over capacity).
    package func p99(servers: Int, load: Double) -> Double {
        guard servers > 0, load < Double(servers) * perReplicaRPS else { return .infinity }
        let mu = perReplicaRPS
        guard load > 0 else { return -log(0.01) / mu }
        let waiting = waitProbability(servers: servers, load: load)
        let theta = Double(servers) * mu - load
        // P(T > t): no wait (service only), or an Exp(theta) wait plus the service.
        func tail(_ t: Double) -> Double {
            let service = exp(-mu * t)
            let waitThenService = abs(theta - mu) < 1e-9 * mu ? (1 + mu * t) * service : (mu * exp(-theta * t) - theta * service) / (mu - theta)
            return (1 - waiting) * service + waiting * waitThenService
        }
        var low = 0.0
        var high = -log(0.01) / min(mu, theta) * 2 + 1 / mu
        while tail(high) > 0.01 { high *= 2 }
        for _ in 0..<60 {
            let middle = (low + high) / 2
            if tail(middle) > 0.01 { low = middle } else { high = middle }
        }
        return high
    }
}

#if canImport(Glibc)
import Glibc
#endif
