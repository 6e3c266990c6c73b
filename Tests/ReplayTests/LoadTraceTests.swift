import Policy
import Testing

@testable import Replay

@Suite struct LoadTraceTests {
    @Test func aTraceIsReadWithItsErrorsPositioned() throws {
        let parsed = try LoadTrace.parse(csv: "timestamp,value\n1700000000,10\n1700000015, 12.5\n", path: "t.csv")
        #expect(parsed.times == [1_700_000_000, 1_700_000_015])
        #expect(parsed.values == [10, 12.5])
        #expect(throws: FileDiagnostic.self) { try LoadTrace.parse(csv: "1,2\n1,3\n", path: "t.csv") }
        do {
            _ = try LoadTrace.parse(csv: "1,2\n2,-5\n", path: "t.csv")
        } catch {
            #expect(error.description == #"t.csv:2:3: value "-5" is not a load in requests/s (a finite number ≥ 0)"#)
        }
    }

    @Test func aTimestampInMillisecondsIsRefused() {
        #expect(throws: FileDiagnostic.self) { try LoadTrace.parse(csv: "1700000000000,5\n", path: "t.csv") }
    }

    @Test func theLoadIsHeldOrInterpolatedBetweenPoints() {
        let trace = LoadTrace(times: [0, 10], values: [100, 200])
        var cursor = 0
        #expect(trace.load(at: 5, interpolation: .step, cursor: &cursor) == 100)
        cursor = 0
        #expect(trace.load(at: 5, interpolation: .linear, cursor: &cursor) == 150)
        #expect(trace.load(at: 20, interpolation: .linear, cursor: &cursor) == 200)
    }
}
