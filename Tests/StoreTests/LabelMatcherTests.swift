import Testing

@testable import Store

@Suite struct LabelMatcherTests {
    @Test func equalityMatchersCompareWholeValues() throws {
        let matcher = try LabelMatcher("job", .equal, "api")
        #expect(matcher.matches("api"))
        #expect(!matcher.matches("api2"))
        #expect(try LabelMatcher("job", .notEqual, "api").matches("web"))
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

    @Test func matchersWithTheSameTextAreEqualAndHashAlike() throws {
        let first = try LabelMatcher("x", .regexMatch, "a|b")
        let second = try LabelMatcher("x", .regexMatch, "a|b")
        #expect(first == second)
        #expect(Set([first, second]).count == 1)
    }
}
