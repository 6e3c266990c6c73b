import Testing

@testable import Query

@Suite struct GoQuoteTests {
    /// Each expectation is what Go 1.19's `strconv.Quote` returns for the input.
    @Test func valuesAreQuotedAsGoQuotesThem() {
        #expect(GoQuote.quoted("plain") == #""plain""#)
        #expect(GoQuote.quoted("\"'&") == #""\"'&""#)
        #expect(GoQuote.quoted("a\\b\nc\td\r\u{07}\u{0B}") == #""a\\b\nc\td\r\a\v""#)
        #expect(GoQuote.quoted("\u{01}\u{7F}") == #""\x01\x7f""#)
        #expect(GoQuote.quoted("é日本🙂") == "\"é日本🙂\"")
        #expect(GoQuote.quoted("\u{A0}\u{200B}\u{2028}") == #""\u00a0\u200b\u2028""#)
        #expect(GoQuote.quoted("\u{E0001}") == #""\U000e0001""#)
        #expect(GoQuote.quoted("a b") == #""a b""#)
    }
}
