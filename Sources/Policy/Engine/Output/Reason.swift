/// Formatting shared by every decision's reason, so journals read the same whatever produced them.
enum Reason {
    /// A number short enough for a log line and identical on every platform: integers in full,
    /// anything else rounded to three significant digits.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded() && abs(value) < 1e15 { return String(Int64(value)) }
        var scale = 1.0
        var magnitude = abs(value)
        while magnitude < 100 {
            magnitude *= 10
            scale *= 10
        }
        while magnitude >= 1000 {
            magnitude /= 10
            scale /= 10
        }
        let rounded = (value * scale).rounded() / scale
        if rounded == rounded.rounded() && abs(rounded) < 1e15 { return String(Int64(rounded)) }
        return "\(rounded)"
    }
}
