import Testing

@testable import Policy

@Suite struct SignalConditionTests {
    @Test(arguments: [
        ("error_ratio > 0.05", SignalCondition(signal: "error_ratio", comparison: .greaterThan, threshold: 0.05)),
        ("lag<=10", SignalCondition(signal: "lag", comparison: .lessOrEqual, threshold: 10)),
        ("  up == 0 ", SignalCondition(signal: "up", comparison: .equal, threshold: 0)),
        ("p99 >= 1e-3", SignalCondition(signal: "p99", comparison: .greaterOrEqual, threshold: 0.001)),
        ("cpu != -1", SignalCondition(signal: "cpu", comparison: .notEqual, threshold: -1)),
        ("_x < 3", SignalCondition(signal: "_x", comparison: .lessThan, threshold: 3)),
    ])
    func conditionParses(text: String, expected: SignalCondition) throws {
        #expect(try SignalCondition(parsing: text) == expected)
    }

    @Test(arguments: [
        ("> 0.05", SignalConditionError.missingSignal("> 0.05")),
        ("9lives > 1", .missingSignal("9lives > 1")),
        ("error_ratio 0.05", .invalidOperator("error_ratio 0.05")),
        ("error_ratio => 0.05", .invalidOperator("error_ratio => 0.05")),
        ("error_ratio = 0.05", .invalidOperator("error_ratio = 0.05")),
        ("error_ratio > high", .invalidThreshold("error_ratio > high")),
        ("error_ratio > ", .invalidThreshold("error_ratio > ")),
        ("error_ratio > inf", .invalidThreshold("error_ratio > inf")),
    ])
    func malformedConditionIsRejected(text: String, expected: SignalConditionError) {
        #expect(throws: expected) { try SignalCondition(parsing: text) }
    }

    @Test func conditionEvaluatesAndNaNNeverHolds() {
        let condition = SignalCondition(signal: "e", comparison: .greaterThan, threshold: 0.05)
        #expect(condition.holds(for: 0.06))
        #expect(!condition.holds(for: 0.05))
        #expect(!condition.holds(for: .nan))
        #expect(!SignalCondition(signal: "e", comparison: .notEqual, threshold: 1).holds(for: .nan))
    }
}
