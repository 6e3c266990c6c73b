import Foundation

/// Latencies in log-spaced buckets 2% apart from 0.1 ms, so any quantile is known within 2%
/// in constant memory however many requests are counted.
package struct LatencyHistogram: Sendable {
    static let base = 0.0001
    static let growth = 1.02
    private var counts: [UInt64] = []
    package private(set) var count: UInt64 = 0

    package init() {}

    package mutating func record(seconds: Double) {
        let index = seconds <= Self.base ? 0 : Int((log(seconds / Self.base) / log(Self.growth)).rounded(.up))
        if index >= counts.count { counts += [UInt64](repeating: 0, count: index - counts.count + 1) }
        counts[index] += 1
        count += 1
    }

    package mutating func merge(_ other: LatencyHistogram) {
        if other.counts.count > counts.count { counts += [UInt64](repeating: 0, count: other.counts.count - counts.count) }
        for (index, value) in other.counts.enumerated() { counts[index] += value }
        count += other.count
    }

    /// The `q` quantile (0...1) in seconds, the upper bound of its bucket; nil when empty.
    package func quantile(_ q: Double) -> Double? {
        guard count > 0 else { return nil }
        let rank = UInt64((q * Double(count)).rounded(.up))
        var seen: UInt64 = 0
        for (index, value) in counts.enumerated() {
            seen += value
            if seen >= max(rank, 1) { return Self.base * pow(Self.growth, Double(index)) }
        }
        return Self.base * pow(Self.growth, Double(counts.count - 1))
    }
}
