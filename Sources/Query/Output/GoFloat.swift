/// Float text as Prometheus writes and reads it: Go's `strconv.FormatFloat(v, 'f', -1, 64)`
/// (shortest round-trip digits, never an exponent: 1e-05 is `0.00001`) and `ParseFloat`.
package enum GoFloat {
    /// `value` as Go's `%v` (strconv's shortest `%g`) prints it, for messages Prometheus formats
    /// that way: positional for exponents from -4 to 5 (`123456`, `0.0001`), else `1e+20`,
    /// `1.5e-07`; `NaN`, `+Inf`, `-Inf`.
    package static func formatV(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        if value == 0 { return value.sign == .minus ? "-0" : "0" }
        // Swift's description holds the shortest round-trip digits; rebuild them in Go's notation.
        var text = Substring(Swift.abs(value).description)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = text[..<e]
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let whole = String(parts[0])
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        var digits = whole + fraction
        var pointPosition = whole.count + exponent
        while digits.hasPrefix("0") && digits.count > 1 {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        let decimalExponent = pointPosition - 1
        let sign = value < 0 ? "-" : ""
        if decimalExponent < -4 || decimalExponent >= 6 {
            let mantissa = digits.count > 1 ? "\(digits.prefix(1)).\(digits.dropFirst())" : digits
            let magnitude = Swift.abs(decimalExponent)
            return "\(sign)\(mantissa)e\(decimalExponent < 0 ? "-" : "+")\(magnitude < 10 ? "0" : "")\(magnitude)"
        }
        if pointPosition <= 0 { return sign + "0." + String(repeating: "0", count: -pointPosition) + digits }
        if pointPosition >= digits.count { return sign + digits + String(repeating: "0", count: pointPosition - digits.count) }
        return sign + digits.prefix(pointPosition) + "." + digits.dropFirst(pointPosition)
    }

    /// The shortest decimal that round-trips `value`, in positional notation; `NaN`, `+Inf`, `-Inf`.
    package static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        // Whole numbers are the common case (counters, counts) and need no digit search.
        if value == value.rounded(.towardZero) && Swift.abs(value) < 1e15 && !(value == 0 && value.sign == .minus) {
            return String(Int64(value))
        }
        // Swift's description already holds the shortest round-trip digits; only the notation differs.
        let description = value.description
        if !description.utf8.contains(UInt8(ascii: "e")) {
            return description.hasSuffix(".0") ? String(description.dropLast(2)) : description
        }
        var text = Substring(description)
        let negative = text.hasPrefix("-")
        if negative { text = text.dropFirst() }
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = text[..<e]
        }
        var digits = ""
        var pointPosition = 0
        if let dot = text.firstIndex(of: ".") {
            digits = String(text[..<dot]) + String(text[text.index(after: dot)...])
            pointPosition = text.distance(from: text.startIndex, to: dot)
        } else {
            digits = String(text)
            pointPosition = digits.count
        }
        pointPosition += exponent
        var integerPart: String
        var fractionPart: String
        if pointPosition <= 0 {
            integerPart = "0"
            fractionPart = String(repeating: "0", count: -pointPosition) + digits
        } else if pointPosition >= digits.count {
            integerPart = digits + String(repeating: "0", count: pointPosition - digits.count)
            fractionPart = ""
        } else {
            integerPart = String(digits.prefix(pointPosition))
            fractionPart = String(digits.dropFirst(pointPosition))
        }
        while integerPart.count > 1 && integerPart.hasPrefix("0") { integerPart.removeFirst() }
        while fractionPart.hasSuffix("0") { fractionPart.removeLast() }
        let body = fractionPart.isEmpty ? integerPart : integerPart + "." + fractionPart
        return negative ? "-" + body : body
    }

    /// How Prometheus writes vector and matrix values: like Go's `encoding/json`, exponent
    /// notation (`5.551115123125783e-19`, `1e+21`) below 1e-6 and from 1e21 in magnitude,
    /// positional otherwise. Scalar results and `count_values` labels use `format(_:)`.
    package static func formatSampleValue(_ value: Double) -> String {
        let magnitude = Swift.abs(value)
        guard magnitude != 0, magnitude.isFinite, magnitude < 1e-6 || magnitude >= 1e21 else { return format(value) }
        // Swift's description of such magnitudes is already d.ddde±x with the shortest digits.
        var text = value.description
        guard let e = text.firstIndex(of: "e") else { return format(value) }
        var exponent = String(text[text.index(after: e)...])
        text = String(text[..<e])
        if text.hasSuffix(".0") { text.removeLast(2) }
        let sign = exponent.hasPrefix("-") ? "-" : "+"
        exponent = exponent.trimmingPrefix { $0 == "-" || $0 == "+" }.description
        if exponent.count < 2 { exponent = "0" + exponent }
        return text + "e" + sign + exponent
    }

    /// Go's `ParseFloat` for label values such as `le`: decimal or exponent notation and any
    /// case of `Inf`, `+Inf`, `-Inf`, `Infinity`, `NaN`; nil for anything else.
    package static func parse(_ text: String) -> Double? {
        let unsigned = text.hasPrefix("+") || text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        switch unsigned.lowercased() {
        case "inf", "infinity": return text.hasPrefix("-") ? -.infinity : .infinity
        case "nan": return text == unsigned ? .nan : nil
        default:
            guard !unsigned.isEmpty, unsigned.allSatisfy({ $0.isASCII && ($0.isNumber || ".eE+-_xXpP".contains($0) || $0.isHexDigit) }) else {
                return nil
            }
            return Double(text)
        }
    }
}
