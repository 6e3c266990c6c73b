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
    /// Reads the bytes directly: a 90-day trace of 15 s steps is half a million lines, and
    /// splitting it into `Character`s cost a sixth of a whole replay. Blanks around fields and
    /// on empty lines are ASCII spaces and tabs (a CSV written by any tool).
    package static func parse(csv text: String, path: String) throws(FileDiagnostic) -> LoadTrace {
        var text = text
        return try text.withUTF8 { bytes in Result { () throws(FileDiagnostic) in try parse(bytes, path: path) } }.get()
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>, path: String) throws(FileDiagnostic) -> LoadTrace {
        var times: [Double] = []
        var values: [Double] = []
        var lineNumber = 0
        // A byte order mark some tools write at the start is no part of the first field.
        var lineStart = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while lineStart <= bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count && bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            defer { lineStart = lineEnd + 1 }
            lineNumber += 1
            // A CRLF file's carriage return is no part of the last field (nor of its messages).
            let end = lineEnd > lineStart && bytes[lineEnd - 1] == UInt8(ascii: "\r") ? lineEnd - 1 : lineEnd
            let line = UnsafeBufferPointer(rebasing: bytes[lineStart..<end])
            if line.allSatisfy(isBlank) { continue }
            let comma = line.firstIndex(of: UInt8(ascii: ","))
            let fieldCount = 1 + line.reduce(0) { $0 + ($1 == UInt8(ascii: ",") ? 1 : 0) }
            guard let comma, fieldCount == 2 else {
                throw FileDiagnostic(path: path, line: lineNumber, column: 1, message: "expected two columns, timestamp,value; found \(fieldCount)")
            }
            let first = line[..<comma]
            let second = line[(comma + 1)...]
            guard let time = number(first), time.isFinite else {
                // A first line of column names is a header.
                if lineNumber == 1 && times.isEmpty && number(second) == nil { continue }
                throw FileDiagnostic(path: path, line: lineNumber, column: 1, message: "timestamp \(quoted(first)) is not unix seconds")
            }
            guard time >= 0 else {
                throw FileDiagnostic(path: path, line: lineNumber, column: 1, message: "timestamp \(quoted(first)) is before 1970; give unix seconds")
            }
            // Unix seconds up to the year 5138: a larger number is milliseconds or nanoseconds.
            guard time <= 1e11 else {
                throw FileDiagnostic(
                    path: path,
                    line: lineNumber,
                    column: 1,
                    message: "timestamp \(quoted(first)) is not unix seconds (milliseconds? divide by 1000)"
                )
            }
            guard let value = number(second), value.isFinite, value >= 0 else {
                throw FileDiagnostic(
                    path: path,
                    line: lineNumber,
                    column: String(decoding: first, as: UTF8.self).count + 2,
                    message: "value \(quoted(second)) is not a load in requests/s (a finite number ≥ 0)"
                )
            }
            if let last = times.last, time <= last {
                throw FileDiagnostic(
                    path: path,
                    line: lineNumber,
                    column: 1,
                    message:
                        "timestamp \(quoted(first)) is not after the previous one (\(Int64(exactly: last).map(String.init) ?? "\(last)")); sort the trace"
                )
            }
            times.append(time)
            values.append(value)
        }
        guard !times.isEmpty else { throw FileDiagnostic(path: path, line: 1, column: 1, message: "the trace has no points") }
        return LoadTrace(times: times, values: values)
    }

    /// Blanks around fields and on empty lines.
    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || (9...13).contains(byte)
    }

    /// A field's decimal number, blanks around it ignored; nil when it is not one (hexadecimal,
    /// a NUL or any other byte a decimal number does not have included).
    private static func number(_ field: Slice<UnsafeBufferPointer<UInt8>>) -> Double? {
        var field = field
        while let first = field.first, isBlank(first) { field.removeFirst() }
        while let last = field.last, isBlank(last) { field.removeLast() }
        guard field.allSatisfy({ (0x30...0x39).contains($0) || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E || $0 == 0x65 || $0 == 0x45 }) else {
            return nil
        }
        // Short fields (as numbers are) make strings without allocating.
        return Double(String(decoding: field, as: UTF8.self))
    }

    /// A CSV field quoted for a message, bounded, with control and non-ASCII bytes escaped so
    /// that nothing in a file reaches the terminal as a control sequence.
    private static func quoted(_ field: Slice<UnsafeBufferPointer<UInt8>>) -> String {
        var text = ""
        for byte in field.prefix(40) {
            if (0x20...0x7E).contains(byte) && byte != UInt8(ascii: "\\") {
                text.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                text += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return "\"" + text + (field.count > 40 ? "…" : "") + "\""
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
