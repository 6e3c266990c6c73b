/// Turns real-valued weights into the integers a proxy accepts (nginx ≥ 1, HAProxy 0–256) while
/// keeping their ratios, by the largest-remainder method: every weight is rounded down, then the
/// units lost to rounding go to the largest fractional parts (ties to the earlier backend, so the
/// result does not depend on anything but the order of the input).
enum WeightQuantizer {
    /// Integer weights in `min...max` whose sum is the rounded sum of `weights`.
    static func quantize(_ weights: [Double], min: Int, max: Int) -> [Int] {
        var result = [Int](repeating: min, count: weights.count)
        var fractions: [(fraction: Double, index: Int)] = []
        fractions.reserveCapacity(weights.count)
        var total = 0.0
        var assigned = 0
        for (index, weight) in weights.enumerated() {
            let clamped = Swift.min(Double(max), Swift.max(Double(min), weight.isFinite ? weight : Double(min)))
            let floor = clamped.rounded(.down)
            result[index] = Int(floor)
            assigned += Int(floor)
            total += clamped
            fractions.append((clamped - floor, index))
        }
        var remaining = Int(total.rounded()) - assigned
        guard remaining > 0 else { return result }
        fractions.sort { $0.fraction != $1.fraction ? $0.fraction > $1.fraction : $0.index < $1.index }
        for entry in fractions where remaining > 0 && entry.fraction > 0 && result[entry.index] < max {
            result[entry.index] += 1
            remaining -= 1
        }
        return result
    }
}
