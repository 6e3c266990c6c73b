import Testing

@testable import Query

private func buckets(_ pairs: [(Double, Double)]) -> [Quantiles.Bucket] {
    pairs.map { Quantiles.Bucket(upperBound: $0.0, count: $0.1) }
}

@Test func bucketQuantileInterpolatesInsideTheBucketHoldingTheRank() {
    let input = buckets([(0.1, 10), (0.5, 30), (1, 40), (.infinity, 40)])
    #expect(Quantiles.bucketQuantile(0.5, input) == 0.1 + 0.4 * (10.0 / 20.0))
    #expect(Quantiles.bucketQuantile(0.25, input) == 0.1)
}

@Test func bucketQuantileFollowsPrometheusEdgeRules() {
    #expect(Quantiles.bucketQuantile(0.5, buckets([(0.1, 10), (1, 20)])).isNaN, "no +Inf bucket")
    #expect(Quantiles.bucketQuantile(0.5, buckets([(.infinity, 0)])).isNaN, "fewer than two buckets")
    #expect(Quantiles.bucketQuantile(0.5, buckets([(1, 0), (.infinity, 0)])).isNaN, "no observations")
    #expect(Quantiles.bucketQuantile(-1, buckets([(1, 1), (.infinity, 1)])) == -.infinity)
    #expect(Quantiles.bucketQuantile(2, buckets([(1, 1), (.infinity, 1)])) == .infinity)
    #expect(Quantiles.bucketQuantile(0.99, buckets([(1, 1), (2, 2), (.infinity, 10)])) == 2, "rank in +Inf bucket: highest finite bound")
    #expect(Quantiles.bucketQuantile(0.1, buckets([(-1, 5), (0, 8), (.infinity, 10)])) == -1, "first bucket with a non-positive bound")
}

@Test func bucketQuantileRepairsNonMonotonicCountsAndMergesEqualBounds() {
    // The 0.5 bucket raced a scrape and reads lower than the 0.1 bucket: it is raised to 10,
    // so the rank 15 falls 5 into the 10 observations of the (0.5, 1] bucket.
    let racing = buckets([(0.1, 10), (0.5, 8), (1, 20), (.infinity, 20)])
    #expect(Quantiles.bucketQuantile(0.75, racing) == 0.75)
    let duplicated = buckets([(1, 2), (1, 2), (.infinity, 8)])
    #expect(Quantiles.bucketQuantile(0.5, duplicated) == 1)
}

@Test func quantileInterpolatesBetweenClosestRanks() {
    #expect(Quantiles.quantile(0.5, [1, 2, 3, 4]) == 2.5)
    #expect(Quantiles.quantile(0, [3, 1]) == 1)
    #expect(Quantiles.quantile(1, [3, 1]) == 3)
    #expect(Quantiles.quantile(0.5, []).isNaN)
}
