/// Kahan–Neumaier compensated summation (`kahanSumInc` in Prometheus).
struct KahanSum {
    private(set) var sum = 0.0
    private var compensation = 0.0

    mutating func add(_ increment: Double) {
        let t = sum + increment
        if Swift.abs(sum) >= Swift.abs(increment) {
            compensation += (sum - t) + increment
        } else {
            compensation += (increment - t) + sum
        }
        sum = t
    }

    var total: Double { sum + compensation }
}
