import Regexp

/// A PromQL label matcher (`name="v"`, `!=`, `=~`, `!~`). It lives with the store because the
/// store's inverted index answers matchers directly.
package struct LabelMatcher: Sendable, Hashable, CustomStringConvertible {
    /// The four comparison kinds PromQL supports.
    package enum Kind: String, Sendable, Hashable {
        case equal = "="
        case notEqual = "!="
        case regexMatch = "=~"
        case regexNoMatch = "!~"
    }

    package let name: String
    package let kind: Kind
    package let value: String
    /// The anchored regex (RE2, Go's syntax, linear time), compiled once here because a matcher
    /// is evaluated against every label value of the index. Not part of equality: it is derived
    /// from `value`.
    private let regex: Regexp?

    /// Fails when a regex does not compile, naming it, so a typo is reported, not matched as nothing.
    package init(_ name: String, _ kind: Kind, _ value: String) throws(InvalidRegexError) {
        self.name = name
        self.kind = kind
        self.value = value
        regex = kind == .regexMatch || kind == .regexNoMatch ? try Self.compile(value) : nil
    }

    package static func == (lhs: LabelMatcher, rhs: LabelMatcher) -> Bool {
        LabelBytes.equal(lhs.name, rhs.name) && lhs.kind == rhs.kind && LabelBytes.equal(lhs.value, rhs.value)
    }

    package func hash(into hasher: inout Hasher) {
        LabelBytes.combine(name, into: &hasher)
        hasher.combine(kind)
        LabelBytes.combine(value, into: &hasher)
    }

    /// Whether a label value (empty when the label is absent) satisfies the matcher, byte for
    /// byte as in Prometheus. Regexes are fully anchored, as in Prometheus.
    package func matches(_ labelValue: String) -> Bool {
        switch kind {
        case .equal: return LabelBytes.equal(labelValue, value)
        case .notEqual: return !LabelBytes.equal(labelValue, value)
        case .regexMatch: return regexMatches(labelValue)
        case .regexNoMatch: return !regexMatches(labelValue)
        }
    }

    /// Whether the matcher accepts a series that lacks the label: Prometheus treats a missing
    /// label as the empty value.
    package var matchesEmpty: Bool { matches("") }

    package var description: String {
        "\(name)\(kind.rawValue)\"\(value)\""
    }

    /// Anchored as Prometheus anchors it: `^(?:pattern)$`.
    private static func compile(_ pattern: String) throws(InvalidRegexError) -> Regexp {
        do {
            return try Regexp("^(?:" + pattern + ")$")
        } catch {
            throw InvalidRegexError(pattern: pattern, reason: error.description)
        }
    }

    private func regexMatches(_ labelValue: String) -> Bool {
        regex?.wholeMatch(labelValue) ?? false
    }
}

/// A matcher's regular expression does not compile.
package struct InvalidRegexError: Error, CustomStringConvertible, Sendable {
    package var pattern: String
    package var reason: String
    /// Go's wording (`error parsing regexp: ...`), as Prometheus reports a bad matcher.
    package var description: String { reason }
}
