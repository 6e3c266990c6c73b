import Foundation

/// Service times with a realistic tail: log-normal with the configured mean and σ = 0.5, so the
/// p99 is about 2.6× the median, as in measured web services (a fixed delay has no tail, an
/// exponential one an unrealistically heavy one at low percentiles).
package struct ServiceTime: Sendable {
    /// The log-normal shape parameter.
    package static let sigma = 0.5

    /// One service time in seconds for a mean of `mean` seconds, capped at 20× the mean.
    package static func sample(mean: Double, using generator: inout some RandomNumberGenerator) -> Double {
        // Box–Muller: one standard normal variate from two uniforms.
        let u1 = Double.random(in: Double.ulpOfOne..<1, using: &generator)
        let u2 = Double.random(in: 0..<1, using: &generator)
        let z = (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
        let mu = log(mean) - sigma * sigma / 2
        return min(exp(mu + sigma * z), 20 * mean)
    }
}
