import Store

/// The Prometheus HTTP API's JSON, byte for byte: `{"status":"success","data":{...}}` and
/// `{"status":"error","errorType":"...","error":"..."}`, with Go's encoder escapes and its
/// two timestamp notations (vector and matrix points as `1700000000.250`, scalar and string
/// results as plain floats).
public enum PrometheusJSON {
    /// The success body for an instant query evaluated at `time` (milliseconds).
    public static func success(_ value: Value, at time: Int64) -> String {
        let result: String
        switch value {
        case .scalar(let number): result = "[\(plainTime(time)),\(quote(GoFloat.format(number)))]"
        case .string(let text): result = "[\(plainTime(time)),\(quote(text))]"
        case .vector(let samples):
            result =
                "["
                + samples.map {
                    "{\"metric\":\(metric($0.labels)),\"value\":[\(pointTime($0.timestamp)),\(quote(GoFloat.formatSampleValue($0.value)))]}"
                }
                .joined(separator: ",") + "]"
        case .matrix(let series): result = matrix(series)
        }
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"\(value.resultType)\",\"result\":\(result)}}"
    }

    /// The success body for a range query.
    public static func success(_ series: [MatrixSeries]) -> String {
        "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":\(matrix(series))}}"
    }

    /// The error body; `errorType` is `bad_data` for requests that cannot be run and
    /// `execution` for failures while evaluating.
    public static func error(type: String, message: String) -> String {
        "{\"status\":\"error\",\"errorType\":\(quote(type)),\"error\":\(quote(message))}"
    }

    /// The error body for any error the engine throws, with Prometheus' wording for parse errors.
    public static func error(_ error: any Error) -> String {
        switch error {
        case let parse as ParseError: return self.error(type: "bad_data", message: "invalid parameter \"query\": \(parse)")
        case let evaluation as EvaluationError: return self.error(type: evaluation.kind.rawValue, message: evaluation.message)
        default: return self.error(type: "execution", message: "\(error)")
        }
    }

    private static func matrix(_ series: [MatrixSeries]) -> String {
        "["
            + series.map { item in
                let values = item.samples.map { "[\(pointTime($0.timestamp)),\(quote(GoFloat.formatSampleValue($0.value)))]" }.joined(separator: ",")
                return "{\"metric\":\(metric(item.labels)),\"values\":[\(values)]}"
            }
            .joined(separator: ",") + "]"
    }

    private static func metric(_ labels: Labels) -> String {
        "{" + labels.pairs.map { "\(quote($0.name)):\(quote($0.value))" }.joined(separator: ",") + "}"
    }

    /// `jsonutil.MarshalTimestamp`: seconds, then three millisecond digits when not whole.
    static func pointTime(_ milliseconds: Int64) -> String {
        let sign = milliseconds < 0 ? "-" : ""
        let magnitude = milliseconds.magnitude
        let fraction = magnitude % 1000
        guard fraction != 0 else { return "\(sign)\(magnitude / 1000)" }
        let padded = String(repeating: "0", count: fraction < 10 ? 2 : (fraction < 100 ? 1 : 0)) + "\(fraction)"
        return "\(sign)\(magnitude / 1000).\(padded)"
    }

    /// Go's `encoding/json` float: shortest digits, positional for ordinary magnitudes.
    static func plainTime(_ milliseconds: Int64) -> String {
        GoFloat.format(Double(milliseconds) / 1000)
    }

    /// A JSON string as Go's encoder writes it, escaping `<`, `>`, `&` and U+2028/U+2029 too.
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<", ">", "&", "\u{2028}", "\u{2029}":
                out += "\\u" + hex4(scalar.value)
            default:
                if scalar.value < 0x20 {
                    out += "\\u" + hex4(scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    private static func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
