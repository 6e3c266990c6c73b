/// How Ballast writes a float64 everywhere a value becomes text: the shortest decimal that parses
/// back to the same bits, and `NaN`, `+Inf`, `-Inf` for the special values, as Prometheus does.
public enum SampleValueFormat {
    /// The text for a value.
    public static func string(for value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        let text = value.description
        // Swift writes integral values as "1027.0"; the exposition formats and Go write "1027".
        if text.hasSuffix(".0") { return String(text.dropLast(2)) }
        return text
    }
}
