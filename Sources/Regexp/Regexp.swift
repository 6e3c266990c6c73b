import CRE2

/// A regular expression with Go's syntax and semantics (RE2, as Prometheus compiles label
/// matchers and `label_replace` patterns), matched in time linear in the input: a hostile
/// pattern such as `(x+x+)+y` cannot stall a query, and what RE2 rejects (`(?=x)`, `\1`, `a++`)
/// is rejected here too.
///
/// `@unchecked Sendable`: the compiled RE2 object is immutable after construction and RE2
/// documents its matching methods as safe to call from many threads at once.
package final class Regexp: @unchecked Sendable {
    private let handle: OpaquePointer
    /// The pattern as given.
    package let pattern: String
    /// The number of capturing groups.
    package let groupCount: Int

    /// Compiles `pattern`; the error is RE2's message (as Go's `error parsing regexp: ...`).
    package init(_ pattern: String) throws(RegexpError) {
        if Self.hasAnyByteEscape(pattern) {
            throw RegexpError(pattern: pattern, reason: "invalid escape sequence: \\C")
        }
        var error: UnsafeMutablePointer<CChar>?
        var text = pattern
        let compiled = text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { ballast_re2_new($0.baseAddress, $0.count, &error) }
        }
        guard let compiled else {
            let reason = error.map { String(cString: $0) } ?? "it does not compile"
            ballast_re2_free_error(error)
            throw RegexpError(pattern: pattern, reason: reason)
        }
        handle = compiled
        self.pattern = pattern
        groupCount = Int(ballast_re2_groups(compiled))
    }

    /// Whether `pattern` uses `\C` (any byte) outside a `\Q...\E` literal: RE2 in C++ accepts it,
    /// Go's regexp (and so Prometheus) does not.
    private static func hasAnyByteEscape(_ pattern: String) -> Bool {
        var bytes = pattern.utf8.makeIterator()
        var quoted = false
        while let byte = bytes.next() {
            guard byte == UInt8(ascii: "\\") else { continue }
            let next = bytes.next()
            if quoted {
                if next == UInt8(ascii: "E") { quoted = false }
            } else if next == UInt8(ascii: "Q") {
                quoted = true
            } else if next == UInt8(ascii: "C") {
                return true
            }
        }
        return false
    }

    deinit {
        ballast_re2_free(handle)
    }

    /// Whether the whole of `text` matches.
    package func wholeMatch(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { ballast_re2_full_match(handle, $0.baseAddress, $0.count) == 1 }
        }
    }

    /// The groups of a whole match of `text` (0 is the whole match; nil for a group that took no
    /// part), or nil when it does not match.
    package func wholeMatchGroups(_ text: String) -> [Substring?]? {
        var text = text
        let count = groupCount + 1
        var starts = [Int](repeating: -1, count: count)
        var lengths = [Int](repeating: -1, count: count)
        let matched = text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) {
                ballast_re2_full_match_groups(handle, $0.baseAddress, $0.count, &starts, &lengths, Int32(count)) == 1
            }
        }
        guard matched else { return nil }
        let utf8 = text.utf8
        return (0..<count).map { index in
            guard starts[index] >= 0 else { return nil }
            let lower = utf8.index(utf8.startIndex, offsetBy: starts[index])
            let upper = utf8.index(lower, offsetBy: lengths[index])
            return Substring(text[lower..<upper])
        }
    }

    /// The index of the group named `name`, or nil.
    package func groupIndex(named name: String) -> Int? {
        var name = name
        let index = name.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { ballast_re2_named_group(handle, $0.baseAddress, $0.count) }
        }
        return index < 0 ? nil : Int(index)
    }
}

/// A pattern RE2 (and so Prometheus) does not accept.
package struct RegexpError: Error, CustomStringConvertible, Sendable, Equatable {
    package var pattern: String
    /// RE2's message, `code: fragment`.
    package var reason: String

    /// As Go's `regexp.Compile` words it, which Prometheus prints: `error parsing regexp: missing
    /// closing ): `^(?:()$``. RE2 in C++ names the same errors a little differently.
    package var description: String {
        guard let separator = reason.firstRange(of: ": ") else { return "error parsing regexp: \(reason): `\(pattern)`" }
        let code = String(reason[..<separator.lowerBound])
        let fragment = String(reason[separator.upperBound...])
        return "error parsing regexp: \(Self.goCodes[code] ?? code): `\(fragment)`"
    }

    /// RE2's error codes → Go's `regexp/syntax` ErrorCode texts where they differ.
    private static let goCodes = [
        "missing )": "missing closing )",
        "missing ]": "missing closing ]",
        "unexpected )": "unexpected )",
        "invalid perl operator": "invalid or unsupported Perl syntax",
        "bad repetition operator": "invalid nested repetition operator",
        "bad repetition count": "invalid repeat count",
        "trailing \\": "trailing backslash at end of expression",
        "invalid named capture group": "invalid named capture",
    ]
}
