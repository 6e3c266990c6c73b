import Durations
import Store
import Testing

@testable import Query

/// Renders an expression with explicit parentheses so precedence shows in one string.
private func shape(_ expr: Expr) -> String {
    switch expr {
    case .number(let value): return GoFloat.format(value)
    case .string(let value): return "\"\(value)\""
    case .vectorSelector(let selector):
        return (selector.name ?? "") + (selector.offset != 0 ? " offset \(PrometheusDuration.format(selector.offset))" : "")
    case .matrixSelector(let selector, let range): return "\(selector.name ?? "")[\(PrometheusDuration.format(range))]"
    case .subquery(let subquery):
        let step = subquery.step.map(PrometheusDuration.format) ?? ""
        let offset = subquery.offset != 0 ? " offset \(PrometheusDuration.format(subquery.offset))" : ""
        return "(\(shape(subquery.expr)))[\(PrometheusDuration.format(subquery.range)):\(step)]\(offset)"
    case .unaryMinus(let inner): return "-(\(shape(inner)))"
    case .paren(let inner): return shape(inner)
    case .binary(let binary): return "(\(shape(binary.lhs)) \(binary.op.rawValue) \(shape(binary.rhs)))"
    case .call(let call): return "\(call.function.rawValue)(\(call.args.map(shape).joined(separator: ", ")))"
    case .aggregate(let aggregate):
        let args = ([aggregate.parameter].compactMap { $0 } + [aggregate.expr]).map(shape).joined(separator: ", ")
        return "\(aggregate.op.rawValue) \(aggregate.without ? "without" : "by") (\(aggregate.grouping.joined(separator: ","))) (\(args))"
    }
}

private func parseError(_ query: String) -> String {
    do {
        _ = try PromQL.parse(query)
        return "no error"
    } catch {
        return error.description
    }
}

@Test func powerIsRightAssociativeAndBindsTighterThanUnaryMinus() throws {
    #expect(shape(try PromQL.parse("2 ^ 3 ^ 2")) == "(2 ^ (3 ^ 2))")
    #expect(shape(try PromQL.parse("-a ^ 2")) == "-((a ^ 2))")
    #expect(shape(try PromQL.parse("-a * b")) == "(-(a) * b)")
    #expect(shape(try PromQL.parse("-2 * 3")) == "(-2 * 3)")
}

@Test func operatorPrecedenceFollowsPrometheus() throws {
    #expect(shape(try PromQL.parse("a + b * c - d")) == "((a + (b * c)) - d)")
    #expect(shape(try PromQL.parse("a or b and c unless d")) == "(a or ((b and c) unless d))")
    #expect(shape(try PromQL.parse("a + b > bool c * 2")) == "((a + b) > (c * 2))")
    #expect(shape(try PromQL.parse("a atan2 b + c")) == "((a atan2 b) + c)")
    #expect(shape(try PromQL.parse("a / b % c")) == "((a / b) % c)")
}

@Test func numberLiteralsIncludeHexOctalInfAndNaN() throws {
    #expect(shape(try PromQL.parse("0x1f")) == "31")
    #expect(shape(try PromQL.parse("010")) == "8")
    #expect(shape(try PromQL.parse("1.5e3")) == "1500")
    #expect(shape(try PromQL.parse("-Inf")) == "-Inf")
    #expect(shape(try PromQL.parse("nan")) == "NaN")
    #expect(shape(try PromQL.parse(".5")) == "0.5")
}

@Test func durationsCombineUnitsInOrder() throws {
    #expect(PrometheusDuration.parse("1h30m") == 5_400_000)
    #expect(PrometheusDuration.parse("100ms") == 100)
    #expect(PrometheusDuration.parse("1d2h") == 93_600_000)
    #expect(PrometheusDuration.parse("30m1h") == nil)
    #expect(PrometheusDuration.parse("5") == nil)
    #expect(shape(try PromQL.parse("rate(x[1h30m] offset 5m)")) == "rate(x[1h30m])")
}

@Test func aggregationsTakeGroupingBeforeOrAfterArguments() throws {
    #expect(shape(try PromQL.parse("sum by (a, b) (x)")) == "sum by (a,b) (x)")
    #expect(shape(try PromQL.parse("sum(x) without (a,)")) == "sum without (a) (x)")
    #expect(shape(try PromQL.parse("topk(3, x)")) == "topk by () (3, x)")
    #expect(shape(try PromQL.parse("count_values(\"v\", x)")) == "count_values by () (\"v\", x)")
}

@Test func vectorMatchingModifiersAreParsed() throws {
    guard case .binary(let binary) = try PromQL.parse("a / on(instance) group_left(job) b") else {
        Issue.record("expected a binary expression")
        return
    }
    #expect(binary.matching == VectorMatching(cardinality: .manyToOne, on: true, labels: ["instance"], include: ["job"]))
    guard case .binary(let set) = try PromQL.parse("a and ignoring(x) b") else { return }
    #expect(set.matching?.cardinality == .manyToMany)
}

@Test func selectorsAcceptAllMatcherKindsAndStrings() throws {
    guard case .vectorSelector(let selector) = try PromQL.parse(#"x{a="1", b!='2', c=~`3.*`, d!~"\x41",}"#) else {
        Issue.record("expected a selector")
        return
    }
    #expect(selector.matchers.map(\.description) == [#"__name__="x""#, #"a="1""#, #"b!="2""#, #"c=~"3.*""#, #"d!~"A""#])
}

@Test func errorsNameLineAndByteColumn() {
    #expect(parseError("sum(rate(x[5m])))") == "1:18: parse error: unexpected right parenthesis ')'")
    #expect(parseError("sum(x") == "1:6: parse error: unclosed left parenthesis")
    #expect(parseError("x +\n  )") == "2:4: parse error: unexpected right parenthesis ')'")
    #expect(parseError("foo{a=1}") == #"1:7: parse error: unexpected number in label matching, expected string"#)
    #expect(parseError("") == "1:1: parse error: no expression found in input")
}

@Test func subqueriesTakeAnOptionalStepAndAnOffset() throws {
    #expect(shape(try PromQL.parse("max_over_time(rate(x[5m])[1h:])")) == "max_over_time((rate(x[5m]))[1h:])")
    #expect(shape(try PromQL.parse("avg_over_time(x[10m:30s] offset 1m)")) == "avg_over_time((x)[10m:30s] offset 1m)")
    #expect(shape(try PromQL.parse("(x offset 1m)[5m:1m]")) == "(x offset 1m)[5m:1m]")
    #expect(parseError("(x[5m])[10m:]") == "1:8: parse error: subquery is only allowed on instant vector, got range vector instead")
    #expect(parseError("x[5m][10m:]") == #"1:6: parse error: unexpected "[""#)
    #expect(parseError("x offset 1m[5m]") == "1:12: parse error: no offset modifiers allowed before range")
    #expect(parseError("x[5m:0s]") == "1:2: parse error: subquery step must be greater than 0")
}

@Test func atModifiersFollowSelectorsAndSubqueries() throws {
    guard case .vectorSelector(let selector) = try PromQL.parse("x @ 1700000000.5 offset 1m") else {
        Issue.record("expected a selector")
        return
    }
    #expect(selector.at == .time(1_700_000_000_500))
    #expect(selector.offset == 60_000)
    guard case .call(let call) = try PromQL.parse("rate(x[5m] @ end())"), case .matrixSelector(let ranged, _) = call.args[0] else {
        Issue.record("expected a call over a range selector")
        return
    }
    #expect(ranged.at == .end)
    #expect(
        parseError("sum(x) @ 100")
            == "1:8: parse error: @ modifier must be preceded by an instant vector selector or range vector selector or a subquery"
    )
    #expect(parseError("x @ 1 @ 2") == "1:1: parse error: @ <timestamp> may not be set multiple times")
    #expect(parseError("x @ Inf") == "1:3: parse error: timestamp out of bounds for @ modifier: +Inf")
}

@Test func unsupportedSyntaxIsNamed() {
    #expect(parseError("histogram_sum(x)") == #"1:1: parse error: unsupported: function "histogram_sum""#)
    #expect(parseError("nosuch(x)") == #"1:1: parse error: unknown function with name "nosuch""#)
}

@Test func typeErrorsMatchPrometheusWording() {
    #expect(parseError("rate(x)") == #"1:6: parse error: expected type range vector in call to function "rate", got instant vector"#)
    #expect(parseError("1 > 2") == "1:3: parse error: comparisons between scalars must use BOOL modifier")
    #expect(parseError("x + bool 1") == "1:3: parse error: bool modifier can only be used on comparison operators")
    #expect(parseError("x and 1") == #"1:1: parse error: set operator "and" not allowed in binary scalar expression"#)
    #expect(parseError("sum(1)") == "1:5: parse error: expected type instant vector in aggregation expression, got scalar")
    #expect(parseError("(x)[5m]") == "1:4: parse error: ranges only allowed for vector selectors")
    #expect(parseError("{a=\"\"}") == "1:1: parse error: vector selector must contain at least one non-empty matcher")
    #expect(parseError("x{__name__=\"y\"}") == #"1:1: parse error: metric name must not be set twice: "x" or "y""#)
    #expect(parseError("a and on(x) group_left b") == #"1:1: parse error: no grouping allowed for "and" operation"#)
    #expect(parseError("round(x, 1, 2)") == #"1:1: parse error: expected at most 2 argument(s) in call to "round", got 3"#)
}

@Test func aLongOperatorChainParsesWithItsTypeAndHeight() throws {
    // 50,000 terms: the type of each prefix is kept, not re-derived along the chain.
    let chain = try PromQL.parse(Array(repeating: "1", count: 50_000).joined(separator: " + "))
    #expect(chain.type == .scalar)
    #expect(chain.height == 50_000)
    let vector = try PromQL.parse("up" + String(repeating: " * 2", count: 10_000))
    #expect(vector.type == .vector)
}

@Test func deeplyNestedInputIsAnErrorNotACrash() {
    let nested = String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000)
    #expect(parseError(nested) == "1:257: parse error: expression nested too deeply (more than 256 levels)")
    #expect(parseError(String(repeating: "-", count: 100_000) + "1").hasSuffix("expression nested too deeply (more than 256 levels)"))
}

@Test func durationsFormatCanonicallyAtAnyMagnitude() {
    #expect(PrometheusDuration.format(5_400_000) == "1h30m")
    #expect(PrometheusDuration.format(-1500) == "-1s500ms")
    #expect(PrometheusDuration.format(.min).hasPrefix("-"))
}
