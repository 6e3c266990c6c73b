import Store

/// Collects a range query's step results into series. Consecutive steps usually list the same
/// series in the same order, so each element is first checked against the series at its index
/// in the previous step (an equality test) before falling back to hashing its labels.
struct MatrixBuilder {
    private var positions: [Labels: Int] = [:]
    private var previousStep: [Int] = []
    private var currentStep: [Int] = []
    private(set) var series: [MatrixSeries] = []

    /// Adds one step's vector, every element as a point at `time`.
    mutating func add(_ vector: [VectorSample], at time: Int64) {
        currentStep.removeAll(keepingCapacity: true)
        for (index, sample) in vector.enumerated() {
            let point = Sample(timestamp: time, value: sample.value)
            if index < previousStep.count, series[previousStep[index]].labels == sample.labels {
                series[previousStep[index]].samples.append(point)
                currentStep.append(previousStep[index])
            } else {
                currentStep.append(append(point, to: sample.labels))
            }
        }
        swap(&previousStep, &currentStep)
    }

    /// Adds a scalar step result, which Prometheus returns as a series without labels.
    mutating func add(_ scalar: Double, at time: Int64) {
        _ = append(Sample(timestamp: time, value: scalar), to: Labels([]))
    }

    /// The series sorted by labels, as Prometheus returns a range result.
    func sorted() -> [MatrixSeries] {
        series.sorted { Labels.precedes($0.labels, $1.labels) }
    }

    private mutating func append(_ point: Sample, to labels: Labels) -> Int {
        if let position = positions[labels] {
            series[position].samples.append(point)
            return position
        }
        positions[labels] = series.count
        series.append(MatrixSeries(labels: labels, samples: [point]))
        return series.count - 1
    }
}
