/// A PromQL label matcher (`name="v"`, `!=`, `=~`, `!~`). It lives with the store because the
/// store's inverted index answers matchers directly.
public struct LabelMatcher: Sendable, Hashable, CustomStringConvertible {
    /// The four comparison kinds PromQL supports.
    public enum Kind: String, Sendable, Hashable {
        case equal = "="
        case notEqual = "!="
        case regexMatch = "=~"
        case regexNoMatch = "!~"
    }

    public var name: String
    public var kind: Kind
    public var value: String

    /// Fails when a regex does not compile, naming it, so a typo is reported, not matched as nothing.
    public init(_ name: String, _ kind: Kind, _ value: String) throws {
        self.name = name
        self.kind = kind
        self.value = value
        if kind == .regexMatch || kind == .regexNoMatch {
            _ = try Self.compile(value)
        }
    }

    /// Whether a label value (empty when the label is absent) satisfies the matcher.
    /// Regexes are fully anchored, as in Prometheus.
    public func matches(_ labelValue: String) -> Bool {
        switch kind {
        case .equal: return labelValue == value
        case .notEqual: return labelValue != value
        case .regexMatch: return Self.regexMatches(value, labelValue)
        case .regexNoMatch: return !Self.regexMatches(value, labelValue)
        }
    }

    /// Whether the matcher accepts a series that lacks the label: Prometheus treats a missing
    /// label as the empty value.
    public var matchesEmpty: Bool { matches("") }

    public var description: String {
        "\(name)\(kind.rawValue)\"\(value)\""
    }

    private static func compile(_ pattern: String) throws -> Regex<AnyRegexOutput> {
        do {
            return try Regex("^(?:" + pattern + ")$")
        } catch {
            throw InvalidRegexError(pattern: pattern, reason: "\(error)")
        }
    }

    private static func regexMatches(_ pattern: String, _ value: String) -> Bool {
        guard let regex = try? compile(pattern) else { return false }
        return (try? regex.wholeMatch(in: value)) != nil
    }
}

/// A matcher's regular expression does not compile.
public struct InvalidRegexError: Error, CustomStringConvertible {
    public var pattern: String
    public var reason: String
    public var description: String { "invalid regular expression \"\(pattern)\": \(reason); check the escaping of the pattern" }
}
