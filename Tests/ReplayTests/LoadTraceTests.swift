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

    @Test func aByteOrderMarkAtTheStartIsSkipped() throws {
        let parsed = try LoadTrace.parse(csv: "\u{FEFF}10,1\n20,2\n", path: "t.csv")
        #expect(parsed.times == [10, 20])
    }

    @Test func crlfLinesBlankLinesAndALastLineWithoutNewlineAreRead() throws {
        let parsed = try LoadTrace.parse(csv: "timestamp,value\r\n\r\n 10 ,\t1.5\r\n   \n20,2", path: "t.csv")
        #expect(parsed.times == [10, 20])
        #expect(parsed.values == [1.5, 2])
    }

    @Test(arguments: [
        ("1,2,3\n", "t.csv:1:1: expected two columns, timestamp,value; found 3"),
        ("1\n", "t.csv:1:1: expected two columns, timestamp,value; found 1"),
        ("1,2\nx,3\n", #"t.csv:2:1: timestamp "x" is not unix seconds"#),
        ("10,2\n20,nan\n", #"t.csv:2:4: value "nan" is not a load in requests/s (a finite number ≥ 0)"#),
        ("10,2\r\n20,x\r\n", #"t.csv:2:4: value "x" is not a load in requests/s (a finite number ≥ 0)"#),
        ("10,1\u{0}999\n", #"t.csv:1:4: value "1\x00999" is not a load in requests/s (a finite number ≥ 0)"#),
        ("10,\u{1B}[31mRED\n", #"t.csv:1:4: value "\x1B[31mRED" is not a load in requests/s (a finite number ≥ 0)"#),
        ("0x10,1\n", #"t.csv:1:1: timestamp "0x10" is not unix seconds"#),
        ("-5,1\n", #"t.csv:1:1: timestamp "-5" is before 1970; give unix seconds"#),
        ("20,1\n10,1\n", #"t.csv:2:1: timestamp "10" is not after the previous one (20); sort the trace"#),
        ("timestamp,value\n", "t.csv:1:1: the trace has no points"),
    ])
    func aBadLineIsNamedWithItsPosition(text: String, message: String) {
        #expect {
            try LoadTrace.parse(csv: text, path: "t.csv")
        } throws: { error in
            "\(error)" == message
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
