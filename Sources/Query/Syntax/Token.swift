/// One lexical unit of a PromQL expression, with the byte offset where it starts so that
/// errors can point at a column.
struct Token: Sendable, Equatable {
    /// What the lexer recognised.
    enum Kind: Sendable, Equatable {
        case identifier(String)
        case number(Double)
        case duration(Int64)
        case string(String)
        case leftParen
        case rightParen
        case leftBrace
        case rightBrace
        case leftBracket
        case rightBracket
        case comma
        case colon
        case at
        case assign
        case op(BinaryOperator)
        case regexMatch
        case regexNoMatch
        case endOfInput
    }

    var kind: Kind
    /// Byte offset of the first byte of the token in the query.
    var offset: Int
    /// Byte length of the token in the query.
    var length: Int

    /// How the token reads in an "unexpected ..." message.
    var display: String {
        switch kind {
        case .identifier(let name): return "identifier \"\(name)\""
        case .number: return "number"
        case .duration: return "duration"
        case .string: return "string"
        case .leftParen: return "\"(\""
        case .rightParen: return "\")\""
        case .leftBrace: return "\"{\""
        case .rightBrace: return "\"}\""
        case .leftBracket: return "\"[\""
        case .rightBracket: return "\"]\""
        case .comma: return "\",\""
        case .colon: return "\":\""
        case .at: return "\"@\""
        case .assign: return "\"=\""
        case .op(let op): return "\"\(op.rawValue)\""
        case .regexMatch: return "\"=~\""
        case .regexNoMatch: return "\"!~\""
        case .endOfInput: return "end of input"
        }
    }
}
