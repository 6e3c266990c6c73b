/// Go's `math.Max`/`math.Min`, which Prometheus' clamp functions use: unlike Swift's
/// `max`/`min`, a NaN argument wins (after infinities), so `clamp_min(NaN, 0)` stays NaN.
enum GoMath {
    static func max(_ x: Double, _ y: Double) -> Double {
        if x == .infinity || y == .infinity { return .infinity }
        if x.isNaN || y.isNaN { return .nan }
        return Swift.max(x, y)
    }

    static func min(_ x: Double, _ y: Double) -> Double {
        if x == -.infinity || y == -.infinity { return -.infinity }
        if x.isNaN || y.isNaN { return .nan }
        return Swift.min(x, y)
    }
}
