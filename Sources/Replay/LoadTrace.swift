package import Policy

/// Offered load over time: points of (unix seconds, requests per second), any step, in time
/// order. Between points the load is held (a step function) or, with `.linear`, interpolated.

package struct LoadTrace: Sendable, Equatable {
    package let times: [Double]
    package let values: [Double]

    /// How the load between two points is read.
    package enum Interpolation: String, Sendable, CaseIterable {
        case step
        case linear
    }

    /// A trace from points already in time order.
    package init(times: [Double], values: [Double]) {
        self.times = times
        self.values = values
    }

    /// Parses `timestamp,value` lines (a header line is allowed); errors name the line and column.
    package static func parse(csv text: String, path: String) throws(FileDiagnostic) -> LoadTrace {
        var times: [Double] = []
        var values: [Double] = []
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let trimmed = line.last == "\r" ? line.dropLast() : line[...]
            if trimmed.allSatisfy(\.isWhitespace) { continue }
            let fields = trimmed.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == 2 else {
                throw FileDiagnostic(path: path, line: lineNumber, column: 1, message: "expected two columns, timestamp,value; found \(fields.count)")
            }
            guard let time = Double(fields[0].trimmingBlanks), time.isFinite else {
                // A first line of column names is a header.
                if lineNumber == 1 && times.isEmpty && Double(fields[1].trimmingBlanks) == nil { continue }
                throw FileDiagnostic(path: path, line: lineNumber, column: 1, message: "timestamp \(String(fields[0]).quotedCSV) is not unix seconds")
            }
            // Unix seconds up to the year 5138: a larger number is milliseconds or nanoseconds.
            guard (0...1e11).contains(time) else {
                throw FileDiagnostic(
                    path: path,
                    line: lineNumber,
                    column: 1,
                    message: "timestamp \(String(fields[0]).quotedCSV) is not unix seconds (milliseconds? divide by 1000)"
                )
            }
            guard let value = Double(fields[1].trimmingBlanks), value.isFinite, value >= 0 else {
                throw FileDiagnostic(
                    path: path,
                    line: lineNumber,
                    column: fields[0].count + 2,
                    message: "value \(String(fields[1]).quotedCSV) is not a load in requests/s (a finite number ≥ 0)"
                )
            }
            if let last = times.last, time <= last {
                throw FileDiagnostic(
                    path: path,
                    line: lineNumber,
                    column: 1,
                    message: "timestamp \(time) is not after the previous one (\(last)); sort the trace"
                )
            }
            times.append(time)
            values.append(value)
        }
        guard !times.isEmpty else { throw FileDiagnostic(path: path, line: 1, column: 1, message: "the trace has no points") }
        return LoadTrace(times: times, values: values)
    }

    /// The load at `time` (seconds); `index` is a cursor that only moves forward, so reading a
    /// whole replay in time order costs one pass over the points.
    package func load(at time: Double, interpolation: Interpolation, cursor index: inout Int) -> Double {
        while index + 1 < times.count && times[index + 1] <= time { index += 1 }
        guard interpolation == .linear, index + 1 < times.count, time > times[index] else { return values[index] }
        let fraction = (time - times[index]) / (times[index + 1] - times[index])
        return values[index] + (values[index + 1] - values[index]) * fraction
    }
}

extension Substring {
    fileprivate var trimmingBlanks: Substring {
        var text = self
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }
}

extension String {
    /// A CSV field quoted for a message, bounded.
    fileprivate var quotedCSV: String {
        "\"" + (count > 40 ? prefix(40) + "…" : self) + "\""
    }
}
