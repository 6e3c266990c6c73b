import Store

/// A recursive-descent parser for the PromQL subset, with Prometheus' precedence climbing
/// for binary operators and its type checks, so an expression that parses here also parses
/// (and means the same) in Prometheus.
struct Parser {
    private let source: String
    private let tokens: [Token]
    private var index = 0
    /// How deeply expressions nest right now; bounded so hostile input cannot overflow the stack.
    private var depth = 0
    /// How many subqueries were parsed so far: the next one's id.
    private var subqueryCount = 0
    private static let maximumDepth = 256

    init(_ source: String) throws(ParseError) {
        self.source = source
        self.tokens = try Lexer.tokenize(source)
    }

    /// The whole query as one expression.
    mutating func parseQuery() throws(ParseError) -> Expr {
        if current.kind == .endOfInput {
            throw error(at: current, "no expression found in input")
        }
        let expr = try parseExpression(minimumPrecedence: 0)
        if current.kind != .endOfInput {
            throw unexpected(current)
        }
        return expr
    }

    // MARK: Token access

    private var current: Token { tokens[index] }

    private func peek(_ ahead: Int = 1) -> Token { tokens[min(index + ahead, tokens.count - 1)] }

    @discardableResult
    private mutating func advance() -> Token {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    private func error(at token: Token, _ message: String) -> ParseError {
        ParseError(source: source, offset: token.offset, message: message)
    }

    private func unexpected(_ token: Token, in context: String = "") -> ParseError {
        let suffix = context.isEmpty ? "" : " in \(context)"
        return error(at: token, "unexpected \(Self.describe(token))\(suffix)")
    }

    /// A token as Prometheus' parser names it in an error: keywords as `<bool>`, operators as
    /// `<op:+>`, aggregators as `<aggr:sum>`, other words as `identifier "x"`.
    private static func describe(_ token: Token) -> String {
        switch token.kind {
        case .identifier(let word) where keywords.contains(word): return "<\(word)>"
        case .identifier(let word) where AggregationOperator(rawValue: word) != nil: return "<aggr:\(word)>"
        case .identifier(let word) where BinaryOperator.keyword(word) != nil: return "<op:\(word)>"
        case .op(let op): return "<op:\(op.rawValue)>"
        default: return token.display
        }
    }

    private mutating func expect(_ kind: Token.Kind, in context: String) throws(ParseError) -> Token {
        guard current.kind == kind else { throw unexpected(current, in: context) }
        return advance()
    }

    private func isKeyword(_ token: Token, _ word: String) -> Bool {
        if case .identifier(let name) = token.kind { return name == word }
        return false
    }

    // MARK: Binary expressions

    private func binaryOperator(_ token: Token) -> BinaryOperator? {
        switch token.kind {
        case .op(let op): return op
        case .identifier(let word): return BinaryOperator.keyword(word)
        default: return nil
        }
    }

    private mutating func parseExpression(minimumPrecedence: Int) throws(ParseError) -> Expr {
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maximumDepth {
            throw error(at: current, "expression nested too deeply (more than \(Self.maximumDepth) levels)")
        }
        let lhsStart = current
        var lhs = try parseUnary()
        while let op = binaryOperator(current), op.precedence >= minimumPrecedence {
            let opToken = advance()
            let (returnBool, matching) = try parseBinaryModifiers()
            let rhsStart = current
            let rhs = try parseExpression(minimumPrecedence: op.isRightAssociative ? op.precedence : op.precedence + 1)
            lhs = try checkedBinary(
                op,
                at: (op: opToken, lhs: lhsStart, rhs: rhsStart),
                lhs,
                rhs,
                returnBool: returnBool,
                matching: matching
            )
        }
        return lhs
    }

    private mutating func parseBinaryModifiers() throws(ParseError) -> (Bool, VectorMatching) {
        var returnBool = false
        if isKeyword(current, "bool") {
            advance()
            returnBool = true
        }
        var matching = VectorMatching()
        if isKeyword(current, "on") || isKeyword(current, "ignoring") {
            matching.on = isKeyword(advance(), "on")
            matching.labels = try parseLabelList()
            if isKeyword(current, "group_left") || isKeyword(current, "group_right") {
                matching.cardinality = isKeyword(advance(), "group_left") ? .manyToOne : .oneToMany
                if current.kind == .leftParen {
                    matching.include = try parseLabelList()
                }
            }
        }
        return (returnBool, matching)
    }

    /// The checks of Prometheus' `checkAST` for a binary expression, in its order and at its
    /// positions: the operator for `bool` and matching clauses, an operand for its type, the
    /// whole expression (its left operand's start) for what concerns both sides.
    private func checkedBinary(
        _ op: BinaryOperator,
        at position: (op: Token, lhs: Token, rhs: Token),
        _ lhs: Expr,
        _ rhs: Expr,
        returnBool: Bool,
        matching: VectorMatching
    ) throws(ParseError) -> Expr {
        var matching = matching
        let opToken = position.op
        if returnBool && !op.isComparison {
            throw error(at: opToken, "bool modifier can only be used on comparison operators")
        }
        if op.isComparison && !returnBool && lhs.type == .scalar && rhs.type == .scalar {
            throw error(at: opToken, "comparisons between scalars must use BOOL modifier")
        }
        if matching.on, let label = matching.labels.first(where: { matching.include.contains($0) }) {
            throw error(at: opToken, "label \"\(label)\" must not occur in ON and GROUP clause at once")
        }
        for (side, start) in [(lhs, position.lhs), (rhs, position.rhs)] where side.type != .scalar && side.type != .vector {
            throw error(at: start, "binary expression must contain only scalar and instant vector types")
        }
        let bothVectors = lhs.type == .vector && rhs.type == .vector
        if !bothVectors && !matching.labels.isEmpty {
            throw error(at: position.lhs, "vector matching only allowed between instant vectors")
        }
        if bothVectors && op.isSetOperator && matching.cardinality != .oneToOne {
            throw error(at: position.lhs, "no grouping allowed for \"\(op.rawValue)\" operation")
        }
        if op.isSetOperator && (lhs.type == .scalar || rhs.type == .scalar) {
            throw error(at: position.lhs, "set operator \"\(op.rawValue)\" not allowed in binary scalar expression")
        }
        guard bothVectors else {
            return .binary(BinaryExpr(op: op, lhs: lhs, rhs: rhs, returnBool: returnBool, matching: nil))
        }
        if op.isSetOperator { matching.cardinality = .manyToMany }
        return .binary(BinaryExpr(op: op, lhs: lhs, rhs: rhs, returnBool: returnBool, matching: matching))
    }

    // MARK: Unary and postfix

    private mutating func parseUnary() throws(ParseError) -> Expr {
        guard case .op(let op) = current.kind, op == .add || op == .subtract else {
            let start = current
            return try parsePostfix(try parsePrimary(), start: start)
        }
        let opToken = advance()
        // Prometheus gives unary minus the precedence of `*`: only `^` binds tighter.
        let operand = try parseExpression(minimumPrecedence: BinaryOperator.power.precedence)
        guard operand.type == .scalar || operand.type == .vector else {
            throw error(
                at: opToken,
                "unary expression only allowed on expressions of type scalar or instant vector, got \"\(operand.type.rawValue)\""
            )
        }
        if op == .add { return operand }
        if case .number(let value) = operand { return .number(-value) }
        return .unaryMinus(operand)
    }

    /// A range, subquery, `offset` or `@` after `primary`, which began at `start` (Prometheus
    /// reports a modifier set twice there).
    private mutating func parsePostfix(_ primary: Expr, start: Token) throws(ParseError) -> Expr {
        var expr = primary
        if current.kind == .leftBracket {
            let bracket = advance()
            guard case .duration(let range) = current.kind else {
                // Prometheus' lexer reads whatever follows `[` as a duration.
                if case .number = current.kind { throw error(at: current, "missing unit character in duration") }
                if case .op(.subtract) = current.kind { throw error(at: current, "missing unit character in duration") }
                throw unexpected(current, in: "range selector; expected a duration such as 5m")
            }
            let rangeToken = advance()
            if current.kind == .colon {
                advance()
                var step: Int64?
                if case .duration(let given) = current.kind {
                    advance()
                    step = given
                }
                _ = try expect(.rightBracket, in: "subquery")
                guard expr.type == .vector else {
                    throw error(at: bracket, "subquery is only allowed on instant vector, got \(expr.type.rawValue) instead")
                }
                guard range > 0 else { throw error(at: rangeToken, "duration must be greater than 0") }
                guard step != 0 else { throw error(at: bracket, "subquery step must be greater than 0") }
                subqueryCount += 1
                expr = .subquery(Subquery(expr: expr, range: range, step: step, offset: 0, at: nil, id: subqueryCount))
            } else {
                _ = try expect(.rightBracket, in: "range selector")
                guard case .vectorSelector(let selector) = expr else {
                    throw error(at: bracket, "ranges only allowed for vector selectors")
                }
                guard selector.offset == 0 else { throw error(at: bracket, "no offset modifiers allowed before range") }
                guard range > 0 else { throw error(at: rangeToken, "duration must be greater than 0") }
                expr = .matrixSelector(selector, range: range)
            }
        }
        while true {
            if isKeyword(current, "offset") {
                let offsetToken = advance()
                var sign: Int64 = 1
                if case .op(let op) = current.kind, op == .subtract || op == .add {
                    sign = op == .subtract ? -1 : 1
                    advance()
                }
                guard case .duration(let offset) = current.kind else { throw unexpected(current, in: "offset, expected duration") }
                advance()
                switch expr {
                case .vectorSelector(var selector) where selector.offset == 0:
                    selector.offset = sign * offset
                    expr = .vectorSelector(selector)
                case .matrixSelector(var selector, let range) where selector.offset == 0:
                    selector.offset = sign * offset
                    expr = .matrixSelector(selector, range: range)
                case .subquery(var subquery) where subquery.offset == 0:
                    subquery.offset = sign * offset
                    expr = .subquery(subquery)
                case .vectorSelector, .matrixSelector, .subquery:
                    throw error(at: start, "offset may not be set multiple times")
                default:
                    throw error(
                        at: offsetToken,
                        "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery"
                    )
                }
            } else if current.kind == .at {
                expr = try parseAtModifier(on: expr, start: start)
            } else if current.kind == .leftBracket && expr.type == .vector {
                // A subquery of an expression that already has an offset or a subquery inside, such as `x offset 1m[5m:]`.
                return try parsePostfix(expr, start: start)
            } else {
                return expr
            }
        }
    }

    /// `@ <unix seconds>`, `@ start()` or `@ end()` after a selector or subquery.
    private mutating func parseAtModifier(on expr: Expr, start: Token) throws(ParseError) -> Expr {
        let atToken = advance()
        let modifier: AtModifier
        if case .identifier(let word) = current.kind, word == "start" || word == "end" {
            advance()
            _ = try expect(.leftParen, in: "@ modifier, expected \"(\"")
            _ = try expect(.rightParen, in: "@ modifier, expected \")\"")
            modifier = word == "start" ? .start : .end
        } else {
            var sign = 1.0
            if case .op(let op) = current.kind, op == .subtract || op == .add {
                sign = op == .subtract ? -1 : 1
                advance()
            }
            guard case .number(let seconds) = current.kind else {
                throw unexpected(current, in: "@, expected timestamp")
            }
            advance()
            let milliseconds = (sign * seconds * 1000).rounded()
            guard milliseconds.isFinite, Swift.abs(milliseconds) < Double(QueryEngine.timeLimit) else {
                throw error(at: atToken, "timestamp out of bounds for @ modifier: \(GoFloat.format(sign * seconds))")
            }
            modifier = .time(Int64(milliseconds))
        }
        switch expr {
        case .vectorSelector(var selector) where selector.at == nil:
            selector.at = modifier
            return .vectorSelector(selector)
        case .matrixSelector(var selector, let range) where selector.at == nil:
            selector.at = modifier
            return .matrixSelector(selector, range: range)
        case .subquery(var subquery) where subquery.at == nil:
            subquery.at = modifier
            return .subquery(subquery)
        case .vectorSelector, .matrixSelector, .subquery:
            throw error(at: start, "@ <timestamp> may not be set multiple times")
        default:
            throw error(at: atToken, "@ modifier must be preceded by an instant vector selector or range vector selector or a subquery")
        }
    }

    // MARK: Primary expressions

    private mutating func parsePrimary() throws(ParseError) -> Expr {
        let token = current
        switch token.kind {
        case .number(let value):
            advance()
            return .number(value)
        case .string(let value):
            advance()
            return .string(value)
        case .leftParen:
            advance()
            let inner = try parseExpression(minimumPrecedence: 0)
            guard current.kind == .rightParen else {
                throw current.kind == .endOfInput
                    ? error(at: token, "unclosed left parenthesis") : unexpected(current, in: "parenthesized expression")
            }
            advance()
            return .paren(inner)
        case .leftBrace:
            return .vectorSelector(try parseSelector(name: nil, at: token))
        case .identifier(let word):
            if let op = AggregationOperator(rawValue: word) {
                return try parseAggregation(op, at: token)
            }
            if peek().kind == .leftParen {
                return try parseCall(word, at: token)
            }
            if Self.keywords.contains(word) || BinaryOperator.keyword(word) != nil {
                throw unexpected(token)
            }
            advance()
            return .vectorSelector(try parseSelector(name: word, at: token))
        case .duration:
            throw error(at: token, "unexpected duration; durations are only allowed in [ranges] and after offset")
        default:
            throw unexpected(token)
        }
    }

    private static let keywords: Set<String> = ["by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset"]

    private mutating func parseSelector(name: String?, at start: Token) throws(ParseError) -> VectorSelector {
        var matchers: [LabelMatcher] = []
        if let name {
            matchers.append(try makeMatcher(Labels.metricNameLabel, .equal, name, at: start))
        }
        if current.kind == .leftBrace {
            advance()
            while current.kind != .rightBrace {
                let labelToken = advance()
                guard case .identifier(let label) = labelToken.kind else {
                    throw unexpected(labelToken, in: "label matching, expected identifier or \"}\"")
                }
                let opToken = advance()
                let kind: LabelMatcher.Kind
                switch opToken.kind {
                case .assign: kind = .equal
                case .op(.notEqual): kind = .notEqual
                case .regexMatch: kind = .regexMatch
                case .regexNoMatch: kind = .regexNoMatch
                default: throw unexpected(opToken, in: "label matching, expected one of \"=\", \"!=\", \"=~\" or \"!~\"")
                }
                let valueToken = advance()
                guard case .string(let value) = valueToken.kind else { throw unexpected(valueToken, in: "label matching, expected string") }
                if label == Labels.metricNameLabel, let name {
                    throw error(at: start, "metric name must not be set twice: \"\(name)\" or \"\(value)\"")
                }
                // Prometheus points at the matcher's label for a regex that does not compile.
                matchers.append(try makeMatcher(label, kind, value, at: labelToken))
                if current.kind == .comma {
                    advance()
                } else if current.kind != .rightBrace {
                    throw unexpected(current, in: "label matching, expected \",\" or \"}\"")
                }
            }
            advance()
        }
        if !matchers.contains(where: { !$0.matchesEmpty }) {
            throw error(at: start, "vector selector must contain at least one non-empty matcher")
        }
        return VectorSelector(name: name, matchers: matchers)
    }

    private func makeMatcher(_ name: String, _ kind: LabelMatcher.Kind, _ value: String, at token: Token) throws(ParseError) -> LabelMatcher {
        do {
            return try LabelMatcher(name, kind, value)
        } catch {
            throw self.error(at: token, "\(error)")
        }
    }

    /// `(a, b, c)`, trailing comma allowed, as in grouping and matching clauses.
    private mutating func parseLabelList() throws(ParseError) -> [String] {
        _ = try expect(.leftParen, in: "grouping opts, expected \"(\"")
        var labels: [String] = []
        while current.kind != .rightParen {
            let token = advance()
            guard case .identifier(let label) = token.kind else { throw unexpected(token, in: "grouping opts") }
            labels.append(label)
            if current.kind == .comma {
                advance()
            } else if current.kind != .rightParen {
                throw unexpected(current, in: "grouping opts, expected \",\" or \")\"")
            }
        }
        advance()
        return labels
    }

    /// The arguments in parentheses, each with the token it starts at (type errors point there).
    private mutating func parseArguments(context: String) throws(ParseError) -> [(expr: Expr, start: Token)] {
        let open = try expect(.leftParen, in: context)
        var args: [(expr: Expr, start: Token)] = []
        while current.kind != .rightParen {
            if current.kind == .endOfInput { throw error(at: open, "unclosed left parenthesis") }
            let start = current
            args.append((try parseExpression(minimumPrecedence: 0), start))
            if current.kind == .comma {
                advance()
            } else if current.kind != .rightParen {
                throw current.kind == .endOfInput ? error(at: open, "unclosed left parenthesis") : unexpected(current, in: context)
            }
        }
        advance()
        return args
    }

    private mutating func parseCall(_ name: String, at token: Token) throws(ParseError) -> Expr {
        guard let function = Function(rawValue: name) else {
            if Function.unsupported.contains(name) {
                throw error(at: token, "unsupported: function \"\(name)\"")
            }
            throw error(at: token, "unknown function with name \"\(name)\"")
        }
        advance()
        let args = try parseArguments(context: "call to function \"\(name)\"")
        var types = function.argumentTypes
        let required = types.count - function.optionalCount
        if let variadic = function.variadicType, args.count > types.count {
            types += Array(repeating: variadic, count: args.count - types.count)
        }
        if args.count < required || args.count > types.count {
            let expected = required == types.count ? "\(required)" : (args.count < required ? "at least \(required)" : "at most \(types.count)")
            throw error(at: token, "expected \(expected) argument(s) in call to \"\(name)\", got \(args.count)")
        }
        for (arg, type) in zip(args, types) where arg.expr.type != type {
            throw error(at: arg.start, "expected type \(type.rawValue) in call to function \"\(name)\", got \(arg.expr.type.rawValue)")
        }
        return .call(FunctionCall(function: function, args: args.map(\.expr)))
    }

    private mutating func parseAggregation(_ op: AggregationOperator, at token: Token) throws(ParseError) -> Expr {
        advance()
        var grouping: [String] = []
        var without = false
        var hasGrouping = false
        if isKeyword(current, "by") || isKeyword(current, "without") {
            without = isKeyword(advance(), "without")
            grouping = try parseLabelList()
            hasGrouping = true
        }
        let args = try parseArguments(context: "aggregation")
        if !hasGrouping && (isKeyword(current, "by") || isKeyword(current, "without")) {
            without = isKeyword(advance(), "without")
            grouping = try parseLabelList()
        }
        let expected = op.parameterType == nil ? 1 : 2
        if args.isEmpty {
            throw error(at: token, "no arguments for aggregate expression provided")
        }
        if args.count != expected {
            throw error(at: token, "wrong number of arguments for aggregate expression provided, expected \(expected), got \(args.count)")
        }
        let (expr, exprStart) = args[args.count - 1]
        if expr.type != .vector {
            throw error(at: exprStart, "expected type instant vector in aggregation expression, got \(expr.type.rawValue)")
        }
        var parameter: Expr?
        if let parameterType = op.parameterType {
            parameter = args[0].expr
            if args[0].expr.type != parameterType {
                throw error(at: args[0].start, "expected type \(parameterType.rawValue) in aggregation parameter, got \(args[0].expr.type.rawValue)")
            }
        }
        return .aggregate(AggregateExpr(op: op, parameter: parameter, expr: expr, grouping: grouping, without: without))
    }
}
