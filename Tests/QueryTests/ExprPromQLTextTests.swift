import Foundation
import Store
import TestSupport
import Testing

@testable import Query

/// `Expr.promQL` turns a parsed (and scoped) expression back into a query a remote Prometheus
/// runs: the text must parse to the same expression, here and in Prometheus itself.
@Suite
struct ExprPromQLTextTests {
    @Test
    func printedTextParsesToTheSameTextAndResult() throws {
        let data = ComparisonData(end: 1_700_000_000_000)
        let engine = QueryEngine(reader: InMemorySeries(data.series))
        let time = data.start + 1_800_000
        for query in comparedExpressions {
            let expr = try PromQL.parse(query)
            let printed = expr.promQL
            let reparsed = try PromQL.parse(printed)
            #expect(reparsed.promQL == printed, "\(query) printed as \(printed) does not print back the same")
            #expect(
                Self.answer(engine, expr, at: time) == Self.answer(engine, reparsed, at: time),
                "\(query) printed as \(printed) evaluates differently"
            )
        }
    }

    private static func answer(_ engine: QueryEngine, _ expr: Expr, at time: Int64) -> String {
        do {
            return PrometheusJSON.success(try engine.instant(expr, at: time), at: time)
        } catch {
            return "\(error)"
        }
    }

    @Test
    func textSpellsOperatorsModifiersAndDurationsAsPrometheusDoes() throws {
        let cases = [
            ("rate(x[90s] offset 1h30m)", "rate(x[1m30s] offset 1h30m)"),
            ("a + b * c", "a + (b * c)"),
            ("(a + b) * c", "(a + b) * c"),
            ("-a ^ 2", "-(a ^ 2)"),
            ("2 ^ -1", "2 ^ (-1)"),
            ("a > bool on(i) group_left(r) b", "a > bool on(i) group_left(r) b"),
            ("a / ignoring(code) b", "a / ignoring(code) b"),
            ("sum without (i) (x)", "sum without (i) (x)"),
            ("topk by (c) (2, x)", "topk by (c) (2, x)"),
            (#"{__name__=~"n.*", a!="q\"\n"}"#, #"{__name__=~"n.*", a!="q\"\n"}"#),
            (#"x{a="1"} @ 100.5"#, #"x{a="1"} @ 100.5"#),
            ("max_over_time(sum(x)[7m:45s] offset 2m)", "max_over_time(sum(x)[7m:45s] offset 2m)"),
            ("avg_over_time(x[1d1500ms:])", "avg_over_time(x[1d1s500ms:])"),
            ("x @ start()", "x @ start()"),
            ("NaN + -Inf", "NaN + (-Inf)"),
        ]
        for (query, expected) in cases {
            let printed = try PromQL.parse(query).promQL
            #expect(printed == expected, "\(query) printed as \(printed)")
        }
    }

    @Test(.enabled(if: PrometheusPeer.isInstalled, "prometheus and promtool are not installed (apt-get install prometheus)"))
    func prometheusAnswersThePrintedTextAsBallastAnswersTheExpression() async throws {
        let data = ComparisonData(end: PrometheusComparisonTests.dataEnd())
        let peer = try await PrometheusPeer.backfilled(openMetrics: data.openMetrics)
        defer { peer.stop() }
        let engine = QueryEngine(reader: InMemorySeries(data.series))
        let time = data.start + 1_800_000
        let notZ = try LabelMatcher("instance", .notEqual, "z")
        for query in comparedExpressions {
            let expr = try PromQL.parse(query)
            // Scoped the way a remote signal source sends a policy's signals.
            let scoped = expr.mapSelectors { selector in
                var selector = selector
                selector.matchers.append(notZ)
                return selector
            }
            for sent in [expr, scoped] {
                let answer = Outcome(try await peer.get("query", ["query": sent.promQL, "time": PrometheusComparisonTests.seconds(time)]))
                expectSame(Outcome(Self.answer(engine, sent, at: time)), answer, "\(query) sent as \(sent.promQL)")
            }
        }
    }
}
