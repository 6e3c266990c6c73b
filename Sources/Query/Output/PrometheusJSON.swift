package import Store

/// The Prometheus HTTP API's JSON, byte for byte: `{"status":"success","data":{...}}` and
/// `{"status":"error","errorType":"...","error":"..."}`, with Go's encoder escapes and its
/// two timestamp notations (vector and matrix points as `1700000000.250`, scalar and string
/// results as plain floats). Written into one byte buffer: a day of points for a hundred
/// series is megabytes of text.
package enum PrometheusJSON {
    /// The success body for an instant query evaluated at `time` (milliseconds).
    package static func success(_ value: Value, at time: Int64) -> String {
        var out = Writer()
        out.append("{\"status\":\"success\",\"data\":{\"resultType\":\"\(value.resultType)\",\"result\":")
        switch value {
        case .scalar(let number):
            out.append("[\(plainTime(time)),")
            out.appendQuoted(GoFloat.format(number))
            out.append("]")
        case .string(let text):
            out.append("[\(plainTime(time)),")
            out.appendQuoted(text)
            out.append("]")
        case .vector(let samples):
            out.append("[")
            for (index, sample) in samples.enumerated() {
                if index > 0 { out.append(",") }
                out.append("{\"metric\":")
                out.appendMetric(sample.labels)
                out.append(",\"value\":")
                out.appendPoint(Sample(timestamp: sample.timestamp, value: sample.value))
                out.append("}")
            }
            out.append("]")
        case .matrix(let series): out.appendMatrix(series)
        }
        out.append("}}")
        return out.string
    }

    /// The success body for a range query.
    package static func success(_ series: [MatrixSeries]) -> String {
        var out = Writer()
        out.append("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":")
        out.appendMatrix(series)
        out.append("}}")
        return out.string
    }

    /// The error body; `errorType` is `bad_data` for requests that cannot be run and
    /// `execution` for failures while evaluating.
    package static func error(type: String, message: String) -> String {
        var out = Writer()
        out.append("{\"status\":\"error\",\"errorType\":")
        out.appendQuoted(type)
        out.append(",\"error\":")
        out.appendQuoted(message)
        out.append("}")
        return out.string
    }

    /// The error body for any error the engine throws, with Prometheus' wording for parse errors.
    package static func error(_ error: any Error) -> String {
        switch error {
        case let parse as ParseError: return self.error(type: "bad_data", message: "invalid parameter \"query\": \(parse)")
        case let evaluation as EvaluationError: return self.error(type: evaluation.kind.rawValue, message: evaluation.message)
        default: return self.error(type: "internal", message: "\(error)")
        }
    }

    /// The success body of `/api/v1/series`: one object per label set.
    package static func success(labelSets: [Labels]) -> String {
        var out = Writer()
        out.append("{\"status\":\"success\",\"data\":[")
        for (index, labels) in labelSets.enumerated() {
            if index > 0 { out.append(",") }
            out.appendMetric(labels)
        }
        out.append("]}")
        return out.string
    }

    /// The success body of `/api/v1/labels` and `/api/v1/label/NAME/values`: a list of strings.
    package static func success(strings: [String]) -> String {
        var out = Writer()
        out.append("{\"status\":\"success\",\"data\":[")
        for (index, text) in strings.enumerated() {
            if index > 0 { out.append(",") }
            out.appendQuoted(text)
        }
        out.append("]}")
        return out.string
    }

    /// A JSON string literal with Go's escapes, for bodies built elsewhere.
    package static func quoted(_ text: String) -> String {
        var out = Writer()
        out.appendQuoted(text)
        return out.string
    }

    /// Go's `encoding/json` float: shortest digits, positional for ordinary magnitudes.
    static func plainTime(_ milliseconds: Int64) -> String {
        GoFloat.format(Double(milliseconds) / 1000)
    }

    /// An append-only UTF-8 buffer with the encoders the API's shapes need.
    private struct Writer {
        private var bytes: [UInt8] = []

        init() { bytes.reserveCapacity(4096) }

        var string: String { String(decoding: bytes, as: UTF8.self) }

        mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }

        mutating func appendMatrix(_ series: [MatrixSeries]) {
            append("[")
            for (index, item) in series.enumerated() {
                if index > 0 { append(",") }
                append("{\"metric\":")
                appendMetric(item.labels)
                append(",\"values\":[")
                for (position, sample) in item.samples.enumerated() {
                    if position > 0 { append(",") }
                    appendPoint(sample)
                }
                append("]}")
            }
            append("]")
        }

        mutating func appendMetric(_ labels: Labels) {
            append("{")
            for (index, pair) in labels.pairs.enumerated() {
                if index > 0 { append(",") }
                appendQuoted(pair.name)
                append(":")
                appendQuoted(pair.value)
            }
            append("}")
        }

        /// `[1700000000.250,"1.5"]`: the time as `jsonutil.MarshalTimestamp` writes it (seconds,
        /// then three millisecond digits when not whole) and the value as a string.
        mutating func appendPoint(_ sample: Sample) {
            append("[")
            if sample.timestamp < 0 { append("-") }
            let magnitude = sample.timestamp.magnitude
            appendDigits(magnitude / 1000)
            let fraction = magnitude % 1000
            if fraction != 0 {
                append(".")
                if fraction < 100 { append("0") }
                if fraction < 10 { append("0") }
                appendDigits(fraction)
            }
            append(",\"")
            // Numbers need no escaping.
            append(GoFloat.formatSampleValue(sample.value))
            append("\"]")
        }

        private mutating func appendDigits(_ value: UInt64) {
            if value >= 10 { appendDigits(value / 10) }
            bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
        }

        /// A JSON string as Go's encoder writes it, escaping `<`, `>`, `&` and U+2028/U+2029 too.
        mutating func appendQuoted(_ text: String) {
            bytes.append(UInt8(ascii: "\""))
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": append("\\\"")
                case "\\": append("\\\\")
                case "\n": append("\\n")
                case "\r": append("\\r")
                case "\t": append("\\t")
                case "<", ">", "&", "\u{2028}", "\u{2029}": appendUnicodeEscape(scalar.value)
                default:
                    if scalar.value < 0x20 {
                        appendUnicodeEscape(scalar.value)
                    } else if scalar.isASCII {
                        bytes.append(UInt8(scalar.value))
                    } else {
                        bytes.append(contentsOf: String(Character(scalar)).utf8)
                    }
                }
            }
            bytes.append(UInt8(ascii: "\""))
        }

        private mutating func appendUnicodeEscape(_ value: UInt32) {
            let digits = String(value, radix: 16)
            append("\\u" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits)
        }
    }
}
