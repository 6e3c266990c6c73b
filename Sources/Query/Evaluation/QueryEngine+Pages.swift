extension QueryEngine {
    /// [`from`, `to`] cut into windows of at most ``maximumPointsPerSeries`` steps each, the
    /// pages a long range query is asked in: Prometheus refuses more points per series than that,
    /// and Ballast's own engine keeps the same limit.
    package static func pages(from: Int64, to: Int64, step: Int64) -> [(start: Int64, end: Int64)] {
        guard step > 0, from <= to else { return [] }
        var pages: [(Int64, Int64)] = []
        var start = from
        while start <= to {
            let end = min(to, start + (maximumPointsPerSeries - 1) * step)
            pages.append((start, end))
            start = end + step
        }
        return pages
    }
}
