import Testing

@testable import Store

@Suite struct LabelMatcherTests {
    @Test func equalityMatchersCompareWholeValues() throws {
        let matcher = try LabelMatcher("job", .equal, "api")
        #expect(matcher.matches("api"))
        #expect(!matcher.matches("api2"))
        #expect(try LabelMatcher("job", .notEqual, "api").matches("web"))
    }

    /// Prometheus compares bytes: é written as one scalar and as e with a combining accent are
    /// two values, which Swift's `String` equality would hold equal.
    @Test func equalityMatchersCompareBytesNotCanonicalEquivalence() throws {
        let (composed, decomposed) = ("caf\u{E9}", "cafe\u{301}")
        #expect(composed == decomposed, "the premise: String equality normalises")
        #expect(try LabelMatcher("v", .equal, composed).matches(composed))
        #expect(try !LabelMatcher("v", .equal, composed).matches(decomposed))
        #expect(try LabelMatcher("v", .notEqual, composed).matches(decomposed))
        #expect(try LabelMatcher("v", .equal, composed) != LabelMatcher("v", .equal, decomposed))
        #expect(try Set([LabelMatcher("v", .equal, composed), LabelMatcher("v", .equal, decomposed)]).count == 2)
    }

    @Test func regexesAreFullyAnchored() throws {
        let matcher = try LabelMatcher("code", .regexMatch, "2..|304")
        #expect(matcher.matches("200"))
        #expect(matcher.matches("304"))
        #expect(!matcher.matches("1200"))
        #expect(!matcher.matches("2000"))
        #expect(try LabelMatcher("code", .regexNoMatch, "5..").matches("200"))
        #expect(try LabelMatcher("job", .regexMatch, "(api|web)-(\\d+)").matches("web-12"))
    }

    @Test func matchersThatAcceptEmptySelectSeriesWithoutTheLabel() throws {
        #expect(try LabelMatcher("x", .equal, "").matchesEmpty)
        #expect(try LabelMatcher("x", .regexMatch, ".*").matchesEmpty)
        #expect(try LabelMatcher("x", .notEqual, "a").matchesEmpty)
        #expect(try !LabelMatcher("x", .regexMatch, ".+").matchesEmpty)
    }

    @Test func anInvalidRegexIsRejectedWithItsPattern() {
        #expect(throws: InvalidRegexError.self) { try LabelMatcher("x", .regexMatch, "(") }
    }

    @Test func regexesHaveGoSyntaxAndSemantics() throws {
        // What Go's regexp (RE2) rejects, Prometheus rejects: lookaround, backreferences,
        // possessive quantifiers, the any-byte escape.
        for pattern in ["(?=x)", "(a)\\1", "a++", "x\\Cy"] {
            #expect(throws: InvalidRegexError.self, "\(pattern)") { try LabelMatcher("x", .regexMatch, pattern) }
        }
        #expect(try LabelMatcher("x", .regexMatch, "\\Q\\C\\E").matches("\\C"), "inside \\Q...\\E it is literal")
        // `.` is one code point, not a grapheme cluster; `\w` is ASCII.
        #expect(try LabelMatcher("x", .regexMatch, ".").matches("é"))
        #expect(try !LabelMatcher("x", .regexMatch, ".").matches("e\u{301}"))
        #expect(try !LabelMatcher("x", .regexMatch, "\\w").matches("é"))
    }

    @Test func aCatastrophicPatternIsMatchedInLinearTime() throws {
        // Backtracking engines take minutes here; RE2 answers at once (the suite would time out).
        let value = String(repeating: "x", count: 5_000)
        #expect(try !LabelMatcher("v", .regexMatch, "(x+x+)+y").matches(value))
        #expect(try !LabelMatcher("v", .regexMatch, ".*a.*b.*a.*c").matches(String(repeating: "ab", count: 2_000)))
    }

    @Test func matchersWithTheSameTextAreEqualAndHashAlike() throws {
        let first = try LabelMatcher("x", .regexMatch, "a|b")
        let second = try LabelMatcher("x", .regexMatch, "a|b")
        #expect(first == second)
        #expect(Set([first, second]).count == 1)
    }
}
