import Durations

/// Splits a PromQL query into tokens, byte by byte, keeping each token's offset for errors.
/// Keywords are returned as identifiers: the parser decides from context whether `by` is a
/// keyword or a label name, as Prometheus does.
struct Lexer {
    private let bytes: [UInt8]
    private let source: String
    private var position = 0
    /// Open delimiters, tracked as Prometheus' lexer does so that an unbalanced query gets its
    /// errors ("unclosed left parenthesis", "unexpected right parenthesis ')'").
    private var parenDepth = 0
    private var inBrackets = false
    private var inBraces = false

    init(_ source: String) {
        self.source = source
        self.bytes = Array(source.utf8)
    }

    /// Every token of the query, ending with `.endOfInput`.
    static func tokenize(_ source: String) throws(ParseError) -> [Token] {
        var lexer = Lexer(source)
        var tokens: [Token] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .endOfInput { return tokens }
        }
    }

    private mutating func next() throws(ParseError) -> Token {
        skipWhitespaceAndComments()
        let start = position
        guard let byte = peek() else {
            if inBraces { throw ParseError(source: source, offset: start, message: "unexpected end of input inside braces") }
            if inBrackets { throw ParseError(source: source, offset: start, message: "unclosed left bracket") }
            if parenDepth > 0 { throw ParseError(source: source, offset: start, message: "unclosed left parenthesis") }
            return Token(kind: .endOfInput, offset: start, length: 0)
        }
        let kind: Token.Kind
        switch byte {
        case UInt8(ascii: "("):
            parenDepth += 1
            kind = advance(.leftParen)
        case UInt8(ascii: ")"):
            kind = advance(.rightParen)
            parenDepth -= 1
            // Prometheus' lexer reports this after the parenthesis it emitted.
            if parenDepth < 0 { throw ParseError(source: source, offset: position, message: "unexpected right parenthesis ')'") }
        case UInt8(ascii: "{"):
            inBraces = true
            kind = advance(.leftBrace)
        case UInt8(ascii: "}"):
            inBraces = false
            kind = advance(.rightBrace)
        case UInt8(ascii: "["):
            inBrackets = true
            kind = advance(.leftBracket)
        case UInt8(ascii: "]"):
            inBrackets = false
            kind = advance(.rightBracket)
        case UInt8(ascii: ","): kind = advance(.comma)
        case UInt8(ascii: ":"): kind = advance(.colon)
        case UInt8(ascii: "@"): kind = advance(.at)
        case UInt8(ascii: "+"): kind = advance(.op(.add))
        case UInt8(ascii: "-"): kind = advance(.op(.subtract))
        case UInt8(ascii: "*"): kind = advance(.op(.multiply))
        case UInt8(ascii: "/"): kind = advance(.op(.divide))
        case UInt8(ascii: "%"): kind = advance(.op(.modulo))
        case UInt8(ascii: "^"): kind = advance(.op(.power))
        case UInt8(ascii: "="):
            position += 1
            if accept("=") {
                kind = .op(.equal)
            } else if accept("~") {
                kind = .regexMatch
            } else {
                kind = .assign
            }
        case UInt8(ascii: "!"):
            position += 1
            if accept("=") {
                kind = .op(.notEqual)
            } else if accept("~") {
                kind = .regexNoMatch
            } else {
                throw ParseError(source: source, offset: start, message: "unexpected character after \"!\"; use \"!=\" or \"!~\"")
            }
        case UInt8(ascii: "<"):
            position += 1
            kind = accept("=") ? .op(.lessOrEqual) : .op(.less)
        case UInt8(ascii: ">"):
            position += 1
            kind = accept("=") ? .op(.greaterOrEqual) : .op(.greater)
        case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "`"):
            kind = .string(try lexString(quote: byte))
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."):
            kind = try lexNumberOrDuration()
        default:
            if Self.isIdentifierStart(byte) {
                kind = lexIdentifier()
            } else {
                let scalar = String(decoding: bytes[start..<min(start + 4, bytes.count)], as: UTF8.self).unicodeScalars.first ?? "?"
                throw ParseError(source: source, offset: start, message: "unexpected character: \(Self.goRune(scalar))")
            }
        }
        return Token(kind: kind, offset: start, length: position - start)
    }

    /// A character as Go's `%q` prints a rune: `'|'`, `'\''`, `'\x00'` (a double quote is not
    /// escaped in a rune, a single quote is).
    static func goRune(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "'": return "'\\''"
        case "\"": return "'\"'"
        default: return "'" + GoQuote.quoted(String(scalar)).dropFirst().dropLast() + "'"
        }
    }

    private func peek(_ ahead: Int = 0) -> UInt8? {
        position + ahead < bytes.count ? bytes[position + ahead] : nil
    }

    private mutating func advance(_ kind: Token.Kind) -> Token.Kind {
        position += 1
        return kind
    }

    private mutating func accept(_ character: Unicode.Scalar) -> Bool {
        guard peek() == UInt8(ascii: character) else { return false }
        position += 1
        return true
    }

    private mutating func skipWhitespaceAndComments() {
        while let byte = peek() {
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                position += 1
            } else if byte == UInt8(ascii: "#") {
                while let next = peek(), next != UInt8(ascii: "\n") { position += 1 }
            } else {
                return
            }
        }
    }

    static func isIdentifierStart(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":")
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// Letters, digits and `_`: what may not follow a number and what a duration is made of.
    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (isIdentifierStart(byte) && byte != UInt8(ascii: ":")) || isDigit(byte)
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"))
    }

    private mutating func lexIdentifier() -> Token.Kind {
        let start = position
        while let byte = peek(), Self.isIdentifierStart(byte) || Self.isDigit(byte) { position += 1 }
        let word = String(decoding: bytes[start..<position], as: UTF8.self)
        // Prometheus reads `Inf` and `NaN` in any case as numbers, never as metric names.
        switch word.lowercased() {
        case "inf": return .number(.infinity)
        case "nan": return .number(.nan)
        default: return .identifier(word)
        }
    }

    private mutating func lexNumberOrDuration() throws(ParseError) -> Token.Kind {
        let start = position
        if peek() == UInt8(ascii: "0"), let x = peek(1), x == UInt8(ascii: "x") || x == UInt8(ascii: "X") {
            position += 2
            while let byte = peek(), Self.isHexDigit(byte) { position += 1 }
            let digits = String(decoding: bytes[(start + 2)..<position], as: UTF8.self)
            guard let value = UInt64(digits, radix: 16) else {
                throw ParseError(source: source, offset: start, message: Self.numberError(text(from: start)))
            }
            try rejectTrailingAlphanumeric(start)
            return .number(Double(value))
        }
        while let byte = peek(), Self.isDigit(byte) { position += 1 }
        if let byte = peek(), Self.isIdentifierStart(byte), Self.durationUnits.contains(where: { unitMatches($0) }) {
            position = start
            return .duration(try lexDuration())
        }
        var isInteger = true
        if accept(".") {
            isInteger = false
            while let byte = peek(), Self.isDigit(byte) { position += 1 }
        }
        if let byte = peek(), byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            if let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { position += 1 }
            while let digit = peek(), Self.isDigit(digit) { position += 1 }
        }
        try rejectTrailingAlphanumeric(start)
        let literal = text(from: start)
        // Prometheus reads integers with Go's base-prefix rules first, so `010` is octal 8.
        if isInteger, literal.count > 1, literal.hasPrefix("0"), let octal = Int64(literal.dropFirst(), radix: 8) {
            return .number(Double(octal))
        }
        guard let value = Double(literal) else {
            throw ParseError(source: source, offset: start, message: Self.numberError(literal))
        }
        // Go's ParseFloat refuses a finite literal too large for a float64, and so does Prometheus.
        guard value.isFinite else {
            throw ParseError(
                source: source,
                offset: start,
                message: "error parsing number: strconv.ParseFloat: parsing \"\(literal)\": value out of range"
            )
        }
        return .number(value)
    }

    /// Go's `strconv.ParseFloat` refusal, as Prometheus reports a number it cannot read.
    private static func numberError(_ literal: String) -> String {
        "error parsing number: strconv.ParseFloat: parsing \(GoQuote.quoted(literal)): invalid syntax"
    }

    private mutating func rejectTrailingAlphanumeric(_ start: Int) throws(ParseError) {
        if let byte = peek(), Self.isAlphanumeric(byte) {
            while let more = peek(), Self.isAlphanumeric(more) { position += 1 }
            throw ParseError(source: source, offset: start, message: "bad number or duration syntax: \"\(text(from: start))\"")
        }
    }

    private static let durationUnits = ["ms", "s", "m", "h", "d", "w", "y"]

    private func unitMatches(_ unit: String) -> Bool {
        for (index, byte) in unit.utf8.enumerated() where peek(index) != byte { return false }
        return true
    }

    private mutating func lexDuration() throws(ParseError) -> Int64 {
        let start = position
        while let byte = peek(), Self.isAlphanumeric(byte) { position += 1 }
        let literal = text(from: start)
        guard let milliseconds = PrometheusDuration.parse(literal) else {
            throw ParseError(source: source, offset: start, message: "bad duration syntax: \"\(literal)\"")
        }
        return milliseconds
    }

    private func text(from start: Int) -> String {
        String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private mutating func lexString(quote: UInt8) throws(ParseError) -> String {
        let start = position
        position += 1
        var out: [UInt8] = []
        while true {
            guard let byte = peek() else {
                throw ParseError(
                    source: source,
                    offset: start,
                    message: quote == UInt8(ascii: "`") ? "unterminated raw string" : "unterminated quoted string"
                )
            }
            position += 1
            if byte == quote { break }
            if quote == UInt8(ascii: "`") {
                out.append(byte)
                continue
            }
            if byte == UInt8(ascii: "\n") {
                throw ParseError(source: source, offset: start, message: "unterminated quoted string")
            }
            if byte != UInt8(ascii: "\\") {
                out.append(byte)
                continue
            }
            try appendEscape(to: &out, quote: quote)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Go's string escapes, which PromQL strings use.
    private mutating func appendEscape(to out: inout [UInt8], quote: UInt8) throws(ParseError) {
        let escapeStart = position - 1
        guard let escaped = peek() else {
            throw ParseError(source: source, offset: escapeStart, message: "unterminated quoted string")
        }
        position += 1
        switch escaped {
        case UInt8(ascii: "a"): out.append(0x07)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "v"): out.append(0x0B)
        case UInt8(ascii: "\\"): out.append(escaped)
        case quote: out.append(escaped)
        case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
            let width = escaped == UInt8(ascii: "x") ? 2 : (escaped == UInt8(ascii: "u") ? 4 : 8)
            guard position + width <= bytes.count,
                let code = UInt32(String(decoding: bytes[position..<(position + width)], as: UTF8.self), radix: 16)
            else {
                throw ParseError(source: source, offset: escapeStart, message: "invalid escape sequence in string")
            }
            position += width
            if escaped == UInt8(ascii: "x") {
                out.append(UInt8(code))
            } else if let scalar = Unicode.Scalar(code) {
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            } else {
                throw ParseError(source: source, offset: escapeStart, message: "invalid Unicode code point in string")
            }
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            guard position + 2 <= bytes.count,
                let code = UInt8(String(decoding: bytes[(position - 1)..<(position + 2)], as: UTF8.self), radix: 8)
            else {
                throw ParseError(source: source, offset: escapeStart, message: "invalid octal escape sequence in string")
            }
            position += 2
            out.append(code)
        default:
            throw ParseError(source: source, offset: escapeStart, message: "unknown escape sequence \"\\\(Character(Unicode.Scalar(escaped)))\"")
        }
    }
}
