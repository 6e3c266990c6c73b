import Policy
import TestSupport
import Testing

@testable import PolicyLoading

@Suite struct SpellingTests {
    @Test(arguments: [
        ("intervall", "interval"),
        ("scalling", "scaling"),
        ("aply", "apply"),
        ("stategy", "strategy"),
        ("slowstart", "slow_start"),
        ("hpa_equivalent", nil),
        ("x", nil),
    ])
    func suggestionIsTheNearestPlausibleTypo(word: String, expected: String?) {
        let candidates = ["interval", "scaling", "apply", "strategy", "slow_start", "stale_after", "standby"]
        #expect(Spelling.suggestion(for: word, among: candidates) == expected)
    }

    @Test func transpositionCountsAsOneEdit() {
        #expect(Spelling.distance("siganl", "signal") == 1)
        #expect(Spelling.distance("", "abc") == 3)
        #expect(Spelling.distance("kitten", "sitting") == 3)
    }
}
