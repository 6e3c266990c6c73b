import Store

extension Expr {
    /// The expression as PromQL text that Prometheus 2.42 parses back to the same expression:
    /// a remote signal source sends a policy's signal after scoping it to its pool, so the scoped
    /// tree has to become a query string again. Operands that are not atoms are parenthesized,
    /// so precedence never depends on the original spelling; strings use Go's quoting, which
    /// PromQL's lexer reads back; durations are written in whole units down to milliseconds.
    package var promQL: String {
        switch self {
        case .number(let value):
            return Self.number(value)
        case .string(let text):
            return GoQuote.quoted(text)
        case .vectorSelector(let selector):
            return Self.selector(selector) + Self.modifiers(offset: selector.offset, at: selector.at)
        case .matrixSelector(let selector, let range):
            return Self.selector(selector) + "[\(Self.duration(range))]" + Self.modifiers(offset: selector.offset, at: selector.at)
        case .subquery(let subquery):
            let step = subquery.step.map(Self.duration) ?? ""
            return subquery.expr.operand + "[\(Self.duration(subquery.range)):\(step)]" + Self.modifiers(offset: subquery.offset, at: subquery.at)
        case .unaryMinus(let inner):
            return "-" + inner.operand
        case .paren(let inner):
            return "(\(inner.promQL))"
        case .binary(let binary):
            var op = binary.op.rawValue
            if binary.returnBool { op += " bool" }
            if let matching = binary.matching {
                if matching.on || !matching.labels.isEmpty {
                    op += (matching.on ? " on" : " ignoring") + "(\(matching.labels.joined(separator: ", ")))"
                }
                switch matching.cardinality {
                case .manyToOne: op += " group_left(\(matching.include.joined(separator: ", ")))"
                case .oneToMany: op += " group_right(\(matching.include.joined(separator: ", ")))"
                case .oneToOne, .manyToMany: break
                }
            }
            return "\(binary.lhs.operand) \(op) \(binary.rhs.operand)"
        case .call(let call):
            return "\(call.function.rawValue)(\(call.args.map(\.promQL).joined(separator: ", ")))"
        case .aggregate(let aggregate):
            var text = aggregate.op.rawValue
            if aggregate.without || !aggregate.grouping.isEmpty {
                text += (aggregate.without ? " without" : " by") + " (\(aggregate.grouping.joined(separator: ", "))) "
            }
            let arguments = (aggregate.parameter.map { [$0.promQL] } ?? []) + [aggregate.expr.promQL]
            return text + "(\(arguments.joined(separator: ", ")))"
        }
    }

    /// The expression as an operand of an operator, a subquery or a unary minus: atoms as they
    /// are, anything else in parentheses.
    private var operand: String {
        switch self {
        case .number(let value) where value < 0: return "(\(promQL))"
        case .number, .string, .vectorSelector, .matrixSelector, .call, .aggregate, .paren: return promQL
        case .subquery, .unaryMinus, .binary: return "(\(promQL))"
        }
    }

    private static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    private static func selector(_ selector: VectorSelector) -> String {
        var matchers = selector.matchers
        if let name = selector.name, let first = matchers.first, first.name == Labels.metricNameLabel, first.kind == .equal, first.value == name {
            matchers.removeFirst()
        }
        let braces =
            matchers.isEmpty ? "" : "{" + matchers.map { "\($0.name)\($0.kind.rawValue)\(GoQuote.quoted($0.value))" }.joined(separator: ", ") + "}"
        return (selector.name ?? "") + (selector.name == nil && braces.isEmpty ? "{}" : braces)
    }

    private static func modifiers(offset: Int64, at: AtModifier?) -> String {
        var text = ""
        if offset != 0 { text += " offset " + (offset < 0 ? "-" : "") + duration(abs(offset)) }
        switch at {
        case .time(let milliseconds)?: text += " @ \(Double(milliseconds) / 1000)"
        case .start?: text += " @ start()"
        case .end?: text += " @ end()"
        case nil: break
        }
        return text
    }

    /// `milliseconds` in Prometheus' duration units, largest first (`1h30m`, `1500ms` → `1s500ms`).
    private static func duration(_ milliseconds: Int64) -> String {
        guard milliseconds > 0 else { return "0s" }
        var left = milliseconds
        var text = ""
        for (unit, size) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1)] where left >= size {
            text += "\(left / size)\(unit)"
            left %= size
        }
        return text
    }
}
