import Foundation
import Store

extension Evaluator {
    /// One output group of an aggregation while it accumulates, as in Prometheus' `groupedAggregation`.
    private struct Group {
        var labels: Labels
        var value: Double
        var mean: Double
        var count: Int
        var members: [VectorSample]
    }

    func evaluateAggregate(_ aggregate: AggregateExpr, at time: Int64) throws -> [VectorSample] {
        let input = try vector(aggregate.expr, at: time)
        var grouping = aggregate.grouping
        var valueLabel = ""
        var parameter = Double.nan
        switch aggregate.op {
        case .countValues:
            if case .string(let label) = try evaluate(aggregate.parameter ?? .string(""), at: time) { valueLabel = label }
            guard Self.isValidLabelName(valueLabel) else {
                throw EvaluationError(.execution, "invalid label name \"\(valueLabel)\"")
            }
            if !aggregate.without { grouping.append(valueLabel) }
        case .topk, .bottomk, .quantile:
            parameter = try scalar(aggregate.parameter ?? .number(.nan), at: time)
        default:
            break
        }
        // As Prometheus: a k that is not an int64 (NaN, ±Inf, beyond ±2^63) is an error.
        if aggregate.op == .topk || aggregate.op == .bottomk, !(parameter <= Double(Int64.max) && parameter >= Double(Int64.min)) {
            throw EvaluationError(.execution, "Scalar value \(GoFloat.formatV(parameter)) overflows int64")
        }
        let k = aggregate.op == .topk || aggregate.op == .bottomk ? Self.clampedCount(parameter) : 0
        if (aggregate.op == .topk || aggregate.op == .bottomk) && k < 1 { return [] }

        let removed = grouping + [Labels.metricNameLabel]
        var groups: [Group] = []
        var positions: [[String]: Int] = [:]
        let keepsMembers = aggregate.op == .topk || aggregate.op == .bottomk || aggregate.op == .quantile
        for var sample in input {
            if aggregate.op == .countValues {
                sample.labels = sample.labels.setting(valueLabel, to: GoFloat.format(sample.value))
            }
            // The group key is plain strings: building a `Labels` for every sample at every step
            // would dominate the cost of the aggregation itself.
            let key =
                aggregate.without
                ? sample.labels.pairs.filter { !removed.contains($0.name) }.flatMap { [$0.name, $0.value] }
                : grouping.map { sample.labels[$0] ?? "" }
            guard let position = positions[key] else {
                positions[key] = groups.count
                let labels = aggregate.without ? sample.labels.removing(names: removed) : sample.labels.keeping(names: grouping)
                groups.append(Group(labels: labels, value: sample.value, mean: sample.value, count: 1, members: keepsMembers ? [sample] : []))
                if aggregate.op == .stddev || aggregate.op == .stdvar { groups[groups.count - 1].value = 0 }
                continue
            }
            Self.accumulate(aggregate.op, sample, into: &groups[position], k: k)
        }

        var out: [VectorSample] = []
        for group in groups {
            let value: Double
            switch aggregate.op {
            case .sum, .min, .max: value = group.value
            case .avg: value = group.mean
            case .count, .countValues: value = Double(group.count)
            case .group: value = 1
            case .stdvar: value = group.value / Double(group.count)
            case .stddev: value = (group.value / Double(group.count)).squareRoot()
            case .quantile: value = Quantiles.quantile(parameter, group.members.map(\.value))
            case .topk, .bottomk:
                let ordered = Self.ordered(group.members, descending: aggregate.op == .topk)
                out += ordered.prefix(k).map { VectorSample(labels: $0.labels, value: $0.value, timestamp: time) }
                continue
            }
            out.append(VectorSample(labels: group.labels, value: value, timestamp: time))
        }
        return out
    }

    private static func accumulate(_ op: AggregationOperator, _ sample: VectorSample, into group: inout Group, k: Int) {
        let value = sample.value
        switch op {
        case .sum: group.value += value
        case .avg:
            group.count += 1
            if group.mean.isInfinite {
                if value.isInfinite && (group.mean > 0) == (value > 0) { return }
                if !value.isInfinite && !value.isNaN { return }
            }
            // Dividing both terms by the count keeps the running mean from overflowing.
            group.mean += value / Double(group.count) - group.mean / Double(group.count)
        case .count, .countValues: group.count += 1
        case .group: break
        case .max: if group.value < value || group.value.isNaN { group.value = value }
        case .min: if group.value > value || group.value.isNaN { group.value = value }
        case .stddev, .stdvar:
            group.count += 1
            let delta = value - group.mean
            group.mean += delta / Double(group.count)
            group.value += delta * (value - group.mean)
        case .topk, .bottomk, .quantile: group.members.append(sample)
        }
    }

    /// topk/bottomk order: by value, NaN last, ties kept in input order.
    private static func ordered(_ members: [VectorSample], descending: Bool) -> [VectorSample] {
        members.enumerated().sorted { lhs, rhs in
            let (a, b) = (lhs.element.value, rhs.element.value)
            if a.isNaN != b.isNaN { return !a.isNaN }
            if a != b && !a.isNaN { return descending ? a > b : a < b }
            return lhs.offset < rhs.offset
        }.map(\.element)
    }

    /// `topk(k, …)` takes `k` as an integer as Go's `int64(k)` does, capped to the input size.
    private static func clampedCount(_ parameter: Double) -> Int {
        guard parameter >= 1 else { return 0 }
        return parameter >= Double(Int.max) ? Int.max : Int(parameter.rounded(.towardZero))
    }

    static func isValidLabelName(_ name: String) -> Bool {
        guard let first = name.utf8.first, Lexer.isIdentifierStart(first), first != UInt8(ascii: ":") else { return false }
        return name.utf8.allSatisfy { Lexer.isIdentifierStart($0) && $0 != UInt8(ascii: ":") || ($0 >= 48 && $0 <= 57) }
    }
}
