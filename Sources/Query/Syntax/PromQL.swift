/// The parse-only entry point: validates and compiles a query once so callers (policy
/// checks, the daemon's signals) can reuse the result for every evaluation.
package enum PromQL {
    /// Parses and type-checks `query`; the error names the line, the byte column and what is wrong.
    package static func parse(_ query: String) throws(ParseError) -> Expr {
        var parser = try Parser(query)
        return try parser.parseQuery()
    }
}
