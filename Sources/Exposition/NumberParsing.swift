#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Number grammar of both formats, checked byte by byte. Values follow Go's `strconv.ParseFloat`
/// as Prometheus uses it: decimal with optional fraction and exponent, `Inf`/`Infinity`/`NaN` in
/// any case, and nothing else. Swift's `Double(_:)` and C's `strtod` also accept hex floats,
/// `0x1p-3`, and more, so the grammar is validated here first and the conversion only runs on
/// text already known to be plain decimal.
enum NumberParsing {
    /// Exact powers of ten: every one of them is representable, which is what makes the fast path
    /// (Clinger's) correctly rounded for mantissas below 2^53.
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// Parses a sample value. Returns nil when the text is not a Go float or overflows float64
    /// (Go reports a range error there, and Prometheus rejects the line).
    @inline(__always)
    static func parseValue(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Double? {
        parse(start, end, allowSpecial: true)
    }

    /// Parses an OpenMetrics timestamp or exemplar timestamp: a real number of seconds, so no
    /// `NaN` or `Inf`.
    @inline(__always)
    static func parseRealNumber(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Double? {
        parse(start, end, allowSpecial: false)
    }

    static func parse(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, allowSpecial: Bool) -> Double? {
        var p = start
        guard p < end else { return nil }
        var negative = false
        var signed = false
        if p.pointee == UInt8(ascii: "-") || p.pointee == UInt8(ascii: "+") {
            negative = p.pointee == UInt8(ascii: "-")
            signed = true
            p += 1
            guard p < end else { return nil }
        }
        let first = p.pointee
        if first | 0x20 == UInt8(ascii: "i") || first | 0x20 == UInt8(ascii: "n") {
            guard allowSpecial else { return nil }
            return special(p, end, negative: negative, signed: signed)
        }
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var digits = 0
        var exponent = 0
        var truncated = false
        while p < end, p.pointee &- UInt8(ascii: "0") < 10 {
            let digit = UInt64(p.pointee &- UInt8(ascii: "0"))
            digits += 1
            if significantDigits < 19 {
                if mantissa != 0 || digit != 0 { significantDigits += 1 }
                mantissa = mantissa &* 10 &+ digit
            } else {
                exponent += 1
                if digit != 0 { truncated = true }
            }
            p += 1
        }
        if p < end, p.pointee == UInt8(ascii: ".") {
            p += 1
            while p < end, p.pointee &- UInt8(ascii: "0") < 10 {
                let digit = UInt64(p.pointee &- UInt8(ascii: "0"))
                digits += 1
                if significantDigits < 19 {
                    if mantissa != 0 || digit != 0 { significantDigits += 1 }
                    mantissa = mantissa &* 10 &+ digit
                    exponent -= 1
                } else if digit != 0 {
                    truncated = true
                }
                p += 1
            }
        }
        guard digits > 0 else { return nil }
        if p < end, p.pointee | 0x20 == UInt8(ascii: "e") {
            p += 1
            guard p < end else { return nil }
            var exponentNegative = false
            if p.pointee == UInt8(ascii: "-") || p.pointee == UInt8(ascii: "+") {
                exponentNegative = p.pointee == UInt8(ascii: "-")
                p += 1
            }
            var written = 0
            var exponentDigits = 0
            while p < end, p.pointee &- UInt8(ascii: "0") < 10 {
                if written < 100_000 { written = written * 10 + Int(p.pointee &- UInt8(ascii: "0")) }
                exponentDigits += 1
                p += 1
            }
            guard exponentDigits > 0 else { return nil }
            exponent += exponentNegative ? -written : written
        }
        guard p == end else { return nil }
        if !truncated && mantissa < (1 << 53) && exponent >= -22 && exponent <= 22 {
            var value = Double(mantissa)
            value = exponent < 0 ? value / powersOfTen[-exponent] : value * powersOfTen[exponent]
            return negative ? -value : value
        }
        if mantissa == 0 && !truncated { return negative ? -0.0 : 0.0 }
        return slowDecimal(start, end)
    }

    /// Converts validated decimal text with the C library, which rounds correctly for any length.
    private static func slowDecimal(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Double? {
        let length = end - start
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: length + 1) { buffer -> Double? in
            let base = buffer.baseAddress!
            UnsafeMutableRawPointer(base).copyMemory(from: start, byteCount: length)
            base[length] = 0
            let value = strtod(base, nil)
            return value.isInfinite ? nil : value
        }
    }

    /// `inf`, `infinity` (optionally signed) and unsigned `nan`, in any case, as Go accepts them.
    private static func special(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, negative: Bool, signed: Bool) -> Double? {
        let length = end - start
        if length == 3 && matches(start, "inf") || length == 8 && matches(start, "infinity") {
            return negative ? -.infinity : .infinity
        }
        if length == 3 && !signed && matches(start, "nan") { return .nan }
        return nil
    }

    private static func matches(_ start: UnsafePointer<UInt8>, _ lowercase: StaticString) -> Bool {
        let expected = lowercase.utf8Start
        for index in 0..<lowercase.utf8CodeUnitCount where start[index] | 0x20 != expected[index] {
            return false
        }
        return true
    }

    /// Parses a text-format timestamp: a decimal int64 of milliseconds, as Go's
    /// `strconv.ParseInt(s, 10, 64)` reads it (a leading sign is allowed).
    static func parseInt64(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Int64? {
        var p = start
        guard p < end else { return nil }
        var negative = false
        if p.pointee == UInt8(ascii: "-") || p.pointee == UInt8(ascii: "+") {
            negative = p.pointee == UInt8(ascii: "-")
            p += 1
        }
        guard p < end else { return nil }
        var magnitude: UInt64 = 0
        while p < end {
            let digit = p.pointee &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(digit))
            guard !overflow1, !overflow2 else { return nil }
            magnitude = sum
            p += 1
        }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }

    /// Converts OpenMetrics float seconds to milliseconds, truncating toward zero as Prometheus
    /// does (`int64(seconds * 1000)`); nil when the result does not fit an int64.
    static func milliseconds(fromSeconds seconds: Double) -> Int64? {
        let milliseconds = seconds * 1000
        guard milliseconds.isFinite, milliseconds > -9.223_372_036_854_775_808e18, milliseconds < 9.223_372_036_854_775_808e18 else {
            return nil
        }
        return Int64(milliseconds)
    }
}
