import SimBackend
import TestSupport
import Testing

@Suite struct ServiceTimeTests {
    @Test func serviceTimesHaveTheConfiguredMeanAndALogNormalTail() {
        var generator = SplitMix64(seed: 42)
        let mean = 0.02
        let samples = (0..<200_000).map { _ in ServiceTime.sample(mean: mean, using: &generator) }.sorted()
        let average = samples.reduce(0, +) / Double(samples.count)
        #expect(abs(average - mean) / mean < 0.01)
        let median = samples[samples.count / 2]
        let p99 = samples[samples.count * 99 / 100]
        // σ = 0.5: p99 / median = e^(2.326 × 0.5) ≈ 3.2.
        #expect(abs(p99 / median - 3.2) < 0.15)
        #expect(samples.last! <= 20 * mean)
    }
}
