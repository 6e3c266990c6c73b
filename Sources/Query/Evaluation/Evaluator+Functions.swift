import Foundation
import Store

extension Evaluator {
    func evaluateCall(_ call: FunctionCall, at time: Int64) throws -> Value {
        let function = call.function
        switch function {
        case .time: return .scalar(Double(time) / 1000)
        case .pi: return .scalar(Double.pi)
        case .minute, .hour, .month, .year, .dayOfWeek, .dayOfMonth, .dayOfYear, .daysInMonth:
            // Without an argument these read the evaluation time, as `vector(time())`, keeping no labels.
            guard let arg = call.args.first else {
                let date = CivilTime(unixSeconds: time / 1000)
                return .vector([VectorSample(labels: Labels([]), value: date.component(function), timestamp: time)])
            }
            return try elementwise(try vector(arg, at: time), at: time) { sample in
                CivilTime(unixSeconds: Int64(exactly: sample.value.rounded(.towardZero)) ?? .min).component(function)
            }
        case .vector: return .vector([VectorSample(labels: Labels([]), value: try scalar(call.args[0], at: time), timestamp: time)])
        case .scalar:
            let input = try vector(call.args[0], at: time)
            return .scalar(input.count == 1 ? input[0].value : .nan)
        case .absent: return .vector(try absent(call.args[0], at: time))
        case .timestamp:
            // A raw selector keeps each sample's own time; anything else is stamped at the evaluation time.
            let input = try vector(call.args[0], at: time)
            let unwrapped = Self.unwrapParens(call.args[0])
            let isSelector: Bool
            if case .vectorSelector = unwrapped { isSelector = true } else { isSelector = false }
            return try elementwise(input, at: time) { sample in Double(isSelector ? sample.timestamp : time) / 1000 }
        case .sort, .sortDesc:
            let input = try vector(call.args[0], at: time)
            let sorted = input.enumerated().sorted { lhs, rhs in
                let (a, b) = (lhs.element.value, rhs.element.value)
                if a.isNaN != b.isNaN { return !a.isNaN }
                if a != b && !a.isNaN { return function == .sort ? a < b : a > b }
                return lhs.offset < rhs.offset
            }
            return .vector(sorted.map(\.element))
        case .histogramQuantile:
            return .vector(try histogramQuantile(try scalar(call.args[0], at: time), try vector(call.args[1], at: time), at: time))
        case .labelReplace, .labelJoin:
            let input = try vector(call.args[0], at: time)
            let strings = try call.args.dropFirst().map { arg in
                if case .string(let text) = try evaluate(arg, at: time) { return text }
                return ""
            }
            let out = try function == .labelReplace ? labelReplace(input, strings) : labelJoin(input, strings)
            try checkUniqueLabelSets(out)
            return .vector(out)
        case .abs, .ceil, .floor, .exp, .ln, .log2, .log10, .sqrt, .sgn, .round, .clamp, .clampMin, .clampMax:
            return try mathFunction(call, at: time)
        case .acos, .acosh, .asin, .asinh, .atan, .atanh, .cos, .cosh, .sin, .sinh, .tan, .tanh, .deg, .rad:
            return try elementwise(try vector(call.args[0], at: time), at: time) { Self.trigonometric(function, $0.value) }
        default:
            return .vector(try rangeFunction(call, at: time))
        }
    }

    private static func unwrapParens(_ expr: Expr) -> Expr {
        if case .paren(let inner) = expr { return unwrapParens(inner) }
        return expr
    }

    /// Applies `transform` to every element, dropping the metric name as Prometheus does.
    private func elementwise(_ input: [VectorSample], at time: Int64, _ transform: (VectorSample) -> Double) throws -> Value {
        let out = input.map { VectorSample(labels: $0.labels.droppingMetricName, value: transform($0), timestamp: time) }
        try checkUniqueAfterDroppingNames(out, input: input)
        return .vector(out)
    }

    private func mathFunction(_ call: FunctionCall, at time: Int64) throws -> Value {
        let input = try vector(call.args[0], at: time)
        let parameters = try call.args.dropFirst().map { try scalar($0, at: time) }
        switch call.function {
        case .abs: return try elementwise(input, at: time) { Swift.abs($0.value) }
        case .ceil: return try elementwise(input, at: time) { $0.value.rounded(.up) }
        case .floor: return try elementwise(input, at: time) { $0.value.rounded(.down) }
        case .exp: return try elementwise(input, at: time) { Foundation.exp($0.value) }
        case .ln: return try elementwise(input, at: time) { Foundation.log($0.value) }
        case .log2: return try elementwise(input, at: time) { Foundation.log2($0.value) }
        case .log10: return try elementwise(input, at: time) { Foundation.log10($0.value) }
        case .sqrt: return try elementwise(input, at: time) { $0.value.squareRoot() }
        case .sgn: return try elementwise(input, at: time) { $0.value > 0 ? 1 : ($0.value < 0 ? -1 : $0.value) }
        case .round:
            // Prometheus rounds half up (towards +Inf) to the nearest multiple of `to_nearest`.
            let inverse = 1 / (parameters.first ?? 1)
            return try elementwise(input, at: time) { ($0.value * inverse + 0.5).rounded(.down) / inverse }
        case .clampMin: return try elementwise(input, at: time) { GoMath.max(parameters[0], $0.value) }
        case .clampMax: return try elementwise(input, at: time) { GoMath.min(parameters[0], $0.value) }
        case .clamp:
            if parameters[1] < parameters[0] { return .vector([]) }
            return try elementwise(input, at: time) { GoMath.max(parameters[0], GoMath.min(parameters[1], $0.value)) }
        default: return .vector([])
        }
    }

    private static func trigonometric(_ function: Function, _ x: Double) -> Double {
        switch function {
        case .acos: return Foundation.acos(x)
        case .acosh: return Foundation.acosh(x)
        case .asin: return Foundation.asin(x)
        case .asinh: return Foundation.asinh(x)
        case .atan: return Foundation.atan(x)
        case .atanh: return Foundation.atanh(x)
        case .cos: return Foundation.cos(x)
        case .cosh: return Foundation.cosh(x)
        case .sin: return Foundation.sin(x)
        case .sinh: return Foundation.sinh(x)
        case .tan: return Foundation.tan(x)
        case .tanh: return Foundation.tanh(x)
        case .deg: return x * 180 / Double.pi
        case .rad: return x * Double.pi / 180
        default: return .nan
        }
    }

    /// `absent(v)`: 1 with the selector's equality labels when `v` is empty, else nothing.
    private func absent(_ arg: Expr, at time: Int64) throws -> [VectorSample] {
        guard try vector(arg, at: time).isEmpty else { return [] }
        return [VectorSample(labels: Self.absentLabels(arg), value: 1, timestamp: time)]
    }

    private static func absentLabels(_ arg: Expr) -> Labels {
        let selector: VectorSelector
        switch unwrapParens(arg) {
        case .vectorSelector(let found), .matrixSelector(let found, _): selector = found
        default: return Labels([])
        }
        var labels: [String: String] = [:]
        var ambiguous = Set<String>()
        for matcher in selector.matchers where matcher.name != Labels.metricNameLabel {
            // As Prometheus: a label matched more than once (or by a non-equality) is left out.
            if matcher.kind == .equal && labels[matcher.name] == nil && !ambiguous.contains(matcher.name) {
                labels[matcher.name] = matcher.value
            } else {
                labels[matcher.name] = nil
                ambiguous.insert(matcher.name)
            }
        }
        return Labels(labels.map { Label(name: $0.key, value: $0.value) })
    }

    private func histogramQuantile(_ q: Double, _ input: [VectorSample], at time: Int64) throws -> [VectorSample] {
        var groups: [Labels: [Quantiles.Bucket]] = [:]
        var order: [Labels] = []
        for sample in input {
            guard let bound = sample.labels["le"].flatMap(GoFloat.parse) else { continue }
            let key = sample.labels.removing([Labels.metricNameLabel, "le"])
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(Quantiles.Bucket(upperBound: bound, count: sample.value))
        }
        let out = order.map { VectorSample(labels: $0, value: Quantiles.bucketQuantile(q, groups[$0] ?? []), timestamp: time) }
        return out
    }

    /// Functions over a range selector: one result per series that has enough samples.
    private func rangeFunction(_ call: FunctionCall, at time: Int64) throws -> [VectorSample] {
        let function = call.function
        let matrixArgument = Self.unwrapParens(call.args.first { $0.type == .matrix } ?? call.args[0])
        let scalarArguments = try call.args.filter { $0.type == .scalar }.map { try scalar($0, at: time) }
        let scalarArgument = scalarArguments.first ?? .nan
        if function == .holtWinters {
            try RangeFunctions.checkHoltWintersFactors(smoothing: scalarArguments[0], trend: scalarArguments[1])
        }
        let (range, rangeEnd): (Int64, Int64)
        switch matrixArgument {
        case .matrixSelector(let selector, let selectorRange):
            (range, rangeEnd) = (selectorRange, reference(time, at: selector.at, offset: selector.offset))
        case .subquery(let subquery): (range, rangeEnd) = (subquery.range, reference(time, at: subquery.at, offset: subquery.offset))
        default: return []
        }
        if function == .absentOverTime {
            var present = false
            try forEachWindow(of: matrixArgument, at: time) { _, _ in present = true }
            return present ? [] : [VectorSample(labels: Self.absentLabels(matrixArgument), value: 1, timestamp: time)]
        }
        var out: [VectorSample] = []
        try forEachWindow(of: matrixArgument, at: time) { loaded, samples in
            let value: Double?
            switch function {
            case .rate, .increase, .delta:
                value = RangeFunctions.extrapolatedRate(
                    samples,
                    rangeStart: rangeEnd - range,
                    rangeEnd: rangeEnd,
                    range: range,
                    isCounter: function != .delta,
                    isRate: function == .rate
                )
            case .irate, .idelta: value = RangeFunctions.instantValue(samples, isRate: function == .irate)
            case .deriv:
                value = samples.count < 2 ? nil : RangeFunctions.linearRegression(samples, interceptTime: samples[samples.startIndex].timestamp).slope
            case .predictLinear:
                if samples.count < 2 {
                    value = nil
                } else {
                    let (slope, intercept) = RangeFunctions.linearRegression(samples, interceptTime: time)
                    value = slope * scalarArgument + intercept
                }
            case .holtWinters:
                value = RangeFunctions.holtWinters(samples, smoothing: scalarArguments[0], trend: scalarArguments[1])
            case .avgOverTime: value = RangeFunctions.average(samples)
            case .minOverTime: value = RangeFunctions.minimum(samples)
            case .maxOverTime: value = RangeFunctions.maximum(samples)
            case .sumOverTime: value = RangeFunctions.sum(samples)
            case .countOverTime: value = Double(samples.count)
            case .lastOverTime: value = samples.last?.value
            case .presentOverTime: value = 1
            case .quantileOverTime: value = Quantiles.quantile(scalarArgument, samples.map(\.value))
            case .stdvarOverTime: value = RangeFunctions.variance(samples)
            case .stddevOverTime: value = RangeFunctions.variance(samples).squareRoot()
            case .changes: value = RangeFunctions.changes(samples)
            case .resets: value = RangeFunctions.resets(samples)
            default: value = nil
            }
            guard let value else { return }
            // last_over_time acts like an offset and keeps the name; every other function returns a new quantity.
            out.append(VectorSample(labels: function == .lastOverTime ? loaded.labels : loaded.unnamed, value: value, timestamp: time))
        }
        // Series told apart only by their names collide once the names are dropped.
        if function != .lastOverTime {
            switch matrixArgument {
            case .matrixSelector(let selector, _) where !selectorsWithCollidingNames.contains(selector): break
            default: try checkUniqueLabelSets(out)
            }
        }
        return out
    }
}
