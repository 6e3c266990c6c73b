import Foundation
import Store

extension Evaluator {
    func evaluateBinary(_ binary: BinaryExpr, at time: Int64) throws -> Value {
        let lhs = try evaluate(binary.lhs, at: time)
        let rhs = try evaluate(binary.rhs, at: time)
        switch (lhs, rhs) {
        case (.scalar(let left), .scalar(let right)):
            let (value, keep) = Self.apply(binary.op, left, right)
            return .scalar(binary.op.isComparison ? (keep ? 1 : 0) : value)
        case (.vector(let vector), .scalar(let scalar)):
            return .vector(try vectorScalar(binary, vector, scalar, swapped: false, at: time))
        case (.scalar(let scalar), .vector(let vector)):
            return .vector(try vectorScalar(binary, vector, scalar, swapped: true, at: time))
        case (.vector(let left), .vector(let right)):
            let matching = binary.matching ?? VectorMatching()
            switch binary.op {
            case .and: return .vector(Self.intersect(left, right, matching))
            case .unless: return .vector(Self.subtract(left, right, matching))
            case .or: return .vector(Self.union(left, right, matching))
            default: return .vector(try vectorVector(binary, left, right, matching, at: time))
            }
        default:
            return .vector([])
        }
    }

    /// `vectorElemBinop`: the arithmetic result, and for comparisons whether the pair passes.
    static func apply(_ op: BinaryOperator, _ lhs: Double, _ rhs: Double) -> (Double, Bool) {
        switch op {
        case .add: return (lhs + rhs, true)
        case .subtract: return (lhs - rhs, true)
        case .multiply: return (lhs * rhs, true)
        case .divide: return (lhs / rhs, true)
        case .modulo: return (fmod(lhs, rhs), true)
        case .power: return (pow(lhs, rhs), true)
        case .atan2: return (Foundation.atan2(lhs, rhs), true)
        case .equal: return (lhs, lhs == rhs)
        case .notEqual: return (lhs, lhs != rhs)
        case .greater: return (lhs, lhs > rhs)
        case .less: return (lhs, lhs < rhs)
        case .greaterOrEqual: return (lhs, lhs >= rhs)
        case .lessOrEqual: return (lhs, lhs <= rhs)
        case .and, .or, .unless: return (.nan, false)
        }
    }

    private func vectorScalar(
        _ binary: BinaryExpr,
        _ vector: [VectorSample],
        _ scalar: Double,
        swapped: Bool,
        at time: Int64
    ) throws
        -> [VectorSample]
    {
        var out: [VectorSample] = []
        for sample in vector {
            var (value, keep) = swapped ? Self.apply(binary.op, scalar, sample.value) : Self.apply(binary.op, sample.value, scalar)
            // A comparison keeps the vector's own value even when the scalar is on the left.
            if binary.op.isComparison && swapped { value = sample.value }
            if binary.returnBool {
                value = keep ? 1 : 0
                keep = true
            }
            guard keep else { continue }
            let labels = binary.op.dropsMetricName || binary.returnBool ? sample.labels.droppingMetricName : sample.labels
            out.append(VectorSample(labels: labels, value: value, timestamp: time))
        }
        if binary.op.dropsMetricName || binary.returnBool { try checkUniqueAfterDroppingNames(out, input: vector) }
        return out
    }

    /// The match-group key of a series: the `on` labels, or every label but the `ignoring`
    /// ones and the metric name.
    static func signature(_ labels: Labels, _ matching: VectorMatching) -> Labels {
        if matching.on { return labels.keeping(names: matching.labels) }
        return labels.removing(names: matching.labels + [Labels.metricNameLabel])
    }

    private func vectorVector(
        _ binary: BinaryExpr,
        _ left: [VectorSample],
        _ right: [VectorSample],
        _ matching: VectorMatching,
        at time: Int64
    )
        throws -> [VectorSample]
    {
        // Many-to-one and one-to-one are handled alike; one-to-many swaps sides and swaps back for the values.
        let oneToMany = matching.cardinality == .oneToMany
        let (many, one) = oneToMany ? (right, left) : (left, right)
        var oneSide: [Labels: VectorSample] = [:]
        for sample in one {
            let signature = Self.signature(sample.labels, matching)
            if let duplicate = oneSide[signature] {
                let side = oneToMany ? "left" : "right"
                let group = matching.on ? sample.labels.keeping(names: matching.labels) : signature
                throw EvaluationError(
                    .execution,
                    "found duplicate series for the match group \(Self.plainDescription(group)) on the \(side) hand-side of the operation: "
                        + "[\(Self.plainDescription(sample.labels)), \(Self.plainDescription(duplicate.labels))];many-to-many matching not allowed: matching labels must be unique on one side"
                )
            }
            oneSide[signature] = sample
        }
        var matched: [Labels: Set<Labels>] = [:]
        var out: [VectorSample] = []
        for sample in many {
            let signature = Self.signature(sample.labels, matching)
            guard let partner = oneSide[signature] else { continue }
            let (left, right) = oneToMany ? (partner.value, sample.value) : (sample.value, partner.value)
            var (value, keep) = Self.apply(binary.op, left, right)
            if binary.returnBool {
                value = keep ? 1 : 0
            } else if !keep {
                continue
            }
            var labels = Self.resultLabels(sample.labels, partner.labels, binary.op, matching)
            if binary.returnBool { labels = labels.droppingMetricName }
            if matching.cardinality == .oneToOne {
                if matched[signature] != nil {
                    throw EvaluationError(.execution, "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)")
                }
                matched[signature] = []
            } else if matched[signature, default: []].insert(labels).inserted == false {
                throw EvaluationError(.execution, "multiple matches for matching labels grouping labels must ensure uniqueness")
            }
            out.append(VectorSample(labels: labels, value: value, timestamp: time))
        }
        return out
    }

    /// Prometheus' `resultMetric`: the "many" side's labels, reduced to the matching labels for
    /// one-to-one matching, plus the `group_x` labels copied from the "one" side.
    private static func resultLabels(_ many: Labels, _ one: Labels, _ op: BinaryOperator, _ matching: VectorMatching) -> Labels {
        var labels = op.dropsMetricName ? many.droppingMetricName : many
        if matching.cardinality == .oneToOne {
            labels = matching.on ? labels.keeping(names: matching.labels) : labels.removing(names: matching.labels)
        }
        for name in matching.include {
            labels = labels.setting(name, to: one[name] ?? "")
        }
        return labels
    }

    /// `{__name__="x", a="1"}`: every pair in braces, values quoted as Go quotes them, as
    /// Prometheus prints series in its errors.
    private static func plainDescription(_ labels: Labels) -> String {
        "{" + labels.pairs.map { "\($0.name)=\(GoQuote.quoted($0.value))" }.joined(separator: ", ") + "}"
    }

    private static func intersect(_ left: [VectorSample], _ right: [VectorSample], _ matching: VectorMatching) -> [VectorSample] {
        let signatures = Set(right.map { signature($0.labels, matching) })
        return left.filter { signatures.contains(signature($0.labels, matching)) }
    }

    private static func subtract(_ left: [VectorSample], _ right: [VectorSample], _ matching: VectorMatching) -> [VectorSample] {
        let signatures = Set(right.map { signature($0.labels, matching) })
        return left.filter { !signatures.contains(signature($0.labels, matching)) }
    }

    private static func union(_ left: [VectorSample], _ right: [VectorSample], _ matching: VectorMatching) -> [VectorSample] {
        let signatures = Set(left.map { signature($0.labels, matching) })
        return left + right.filter { !signatures.contains(signature($0.labels, matching)) }
    }
}
