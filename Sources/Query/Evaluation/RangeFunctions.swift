import Foundation
import Store

/// The functions over a range of samples, ported from Prometheus' promql/functions.go so that
/// results agree to the last bits: extrapolation, counter resets, regression.
enum RangeFunctions {
    /// `rate`, `increase` (`isCounter`) and `delta`: the change over the window, extrapolated to
    /// the window's edges unless the series starts or ends well inside it; a counter is never
    /// extrapolated below zero. Nil when there are fewer than two samples.
    static func extrapolatedRate(
        _ samples: ArraySlice<Sample>,
        rangeStart: Int64,
        rangeEnd: Int64,
        range: Int64,
        isCounter: Bool,
        isRate: Bool
    ) -> Double? {
        guard samples.count >= 2, let first = samples.first, let last = samples.last else { return nil }
        var result = last.value - first.value
        if isCounter {
            var previous = first.value
            for sample in samples.dropFirst() {
                if sample.value < previous { result += previous }
                previous = sample.value
            }
        }
        var durationToStart = Double(first.timestamp - rangeStart) / 1000
        let durationToEnd = Double(rangeEnd - last.timestamp) / 1000
        let sampledInterval = Double(last.timestamp - first.timestamp) / 1000
        let averageDurationBetweenSamples = sampledInterval / Double(samples.count - 1)
        if isCounter && result > 0 && first.value >= 0 {
            // The counter started at zero somewhere before the first sample; do not extrapolate past that point.
            let durationToZero = sampledInterval * (first.value / result)
            if durationToZero < durationToStart { durationToStart = durationToZero }
        }
        let threshold = averageDurationBetweenSamples * 1.1
        var extrapolateToInterval = sampledInterval
        extrapolateToInterval += durationToStart < threshold ? durationToStart : averageDurationBetweenSamples / 2
        extrapolateToInterval += durationToEnd < threshold ? durationToEnd : averageDurationBetweenSamples / 2
        var factor = extrapolateToInterval / sampledInterval
        if isRate { factor /= Double(range) / 1000 }
        return result * factor
    }

    /// `irate` and `idelta`: from the last two samples only.
    static func instantValue(_ samples: ArraySlice<Sample>, isRate: Bool) -> Double? {
        guard samples.count >= 2 else { return nil }
        let last = samples[samples.endIndex - 1]
        let previous = samples[samples.endIndex - 2]
        var result = isRate && last.value < previous.value ? last.value : last.value - previous.value
        let interval = last.timestamp - previous.timestamp
        guard interval != 0 else { return nil }
        if isRate { result /= Double(interval) / 1000 }
        return result
    }

    /// Least-squares slope and intercept at `interceptTime`, with Kahan–Neumaier sums as Prometheus.
    static func linearRegression(_ samples: ArraySlice<Sample>, interceptTime: Int64) -> (slope: Double, intercept: Double) {
        var n = 0.0
        var sumX = KahanSum()
        var sumY = KahanSum()
        var sumXY = KahanSum()
        var sumX2 = KahanSum()
        let initialY = samples[samples.startIndex].value
        var constantY = true
        for sample in samples {
            if constantY && sample.value != initialY { constantY = false }
            n += 1
            let x = Double(sample.timestamp - interceptTime) / 1000
            sumX.add(x)
            sumY.add(sample.value)
            sumXY.add(x * sample.value)
            sumX2.add(x * x)
        }
        if constantY {
            return initialY.isInfinite ? (.nan, .nan) : (0, initialY)
        }
        let covXY = sumXY.total - sumX.total * sumY.total / n
        let varX = sumX2.total - sumX.total * sumX.total / n
        let slope = covXY / varX
        return (slope, sumY.total / n - slope * sumX.total / n)
    }

    /// An incremental mean with compensated summation, which cannot overflow where a sum would.
    /// Prometheus refuses factors outside (0, 1), naming the value as Go's `%f` prints it.
    static func checkHoltWintersFactors(smoothing: Double, trend: Double) throws {
        if !(smoothing > 0 && smoothing < 1) {
            throw EvaluationError(.execution, "invalid smoothing factor. Expected: 0 < sf < 1, got: \(goFixed6(smoothing))")
        }
        if !(trend > 0 && trend < 1) {
            throw EvaluationError(.execution, "invalid trend factor. Expected: 0 < tf < 1, got: \(goFixed6(trend))")
        }
    }

    /// `holt_winters`: double exponential smoothing; nil with fewer than two samples.
    static func holtWinters(_ samples: ArraySlice<Sample>, smoothing: Double, trend: Double) -> Double? {
        guard samples.count >= 2 else { return nil }
        let values = samples.map(\.value)
        var previous = 0.0
        var smoothed = values[0]
        var slope = values[1] - values[0]
        for index in 1..<values.count {
            let scaled = smoothing * values[index]
            // The first step keeps the initial trend, as Prometheus' calcTrendValue does.
            if index > 1 { slope = trend * (smoothed - previous) + (1 - trend) * slope }
            let carried = (1 - smoothing) * (smoothed + slope)
            (previous, smoothed) = (smoothed, scaled + carried)
        }
        return smoothed
    }

    /// Go's `%f`: six decimals, `NaN`, `+Inf`, `-Inf`.
    private static func goFixed6(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        return String(format: "%.6f", value)
    }

    static func average(_ samples: ArraySlice<Sample>) -> Double {
        var mean = KahanSum()
        var count = 0.0
        for sample in samples {
            count += 1
            let current = mean.sum
            if current.isInfinite {
                if sample.value.isInfinite && (current > 0) == (sample.value > 0) { continue }
                if !sample.value.isInfinite && !sample.value.isNaN { continue }
            }
            mean.add(sample.value / count - current / count)
        }
        return mean.sum.isInfinite ? mean.sum : mean.total
    }

    /// A compensated sum; an infinite running sum is returned as is (compensation would make it NaN).
    static func sum(_ samples: ArraySlice<Sample>) -> Double {
        var sum = KahanSum()
        for sample in samples { sum.add(sample.value) }
        return sum.sum.isInfinite ? sum.sum : sum.total
    }

    static func variance(_ samples: ArraySlice<Sample>) -> Double {
        var count = 0.0
        var mean = KahanSum()
        var aux = KahanSum()
        for sample in samples {
            count += 1
            let delta = sample.value - mean.total
            mean.add(delta / count)
            aux.add(delta * (sample.value - mean.total))
        }
        return aux.total / count
    }

    static func minimum(_ samples: ArraySlice<Sample>) -> Double {
        var result = samples[samples.startIndex].value
        for sample in samples where sample.value < result || result.isNaN { result = sample.value }
        return result
    }

    static func maximum(_ samples: ArraySlice<Sample>) -> Double {
        var result = samples[samples.startIndex].value
        for sample in samples where sample.value > result || result.isNaN { result = sample.value }
        return result
    }

    /// `changes`: how often the value changed (NaN to NaN is no change).
    static func changes(_ samples: ArraySlice<Sample>) -> Double {
        var count = 0.0
        var previous = samples[samples.startIndex].value
        for sample in samples.dropFirst() {
            if sample.value != previous && !(sample.value.isNaN && previous.isNaN) { count += 1 }
            previous = sample.value
        }
        return count
    }

    /// `resets`: how often a counter went down.
    static func resets(_ samples: ArraySlice<Sample>) -> Double {
        var count = 0.0
        var previous = samples[samples.startIndex].value
        for sample in samples.dropFirst() {
            if sample.value < previous { count += 1 }
            previous = sample.value
        }
        return count
    }
}
