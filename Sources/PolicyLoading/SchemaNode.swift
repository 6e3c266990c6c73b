import Policy

/// One node of the policy file's schema: what a value must look like, and how to describe it.
///
/// Policy keys define their nodes in their key tables (``PolicyKey``); the daemon's configuration
/// and file_sd write theirs directly. The checker and `--print-schema` read the same nodes.
struct SchemaNode: Sendable {
    /// The value's shape.
    var kind: SchemaKind
    /// A sentence for editors and error messages.
    var summary: String
    /// The default, as a policy would write it, when the key may be left out.
    var defaultValue: PolicyDocument?

    init(_ kind: SchemaKind, _ summary: String, default defaultValue: PolicyDocument? = nil) {
        self.kind = kind
        self.summary = summary
        self.defaultValue = defaultValue
    }
}

/// A key of a mapping in the schema.
struct SchemaField: Sendable {
    /// The key as written in YAML.
    var name: String
    /// Whether the key must be present.
    var required: Bool
    /// The value's schema.
    var node: SchemaNode

    init(_ name: String, required: Bool = false, _ node: SchemaNode) {
        self.name = name
        self.required = required
        self.node = node
    }
}

/// The shapes a policy value can take; each carries the constraints the loader enforces.
indirect enum SchemaKind: Sendable {
    /// Text in a given format.
    case string(StringFormat)
    /// A whole number in a range.
    case integer(ClosedRange<Int>)
    /// A finite number in a range; `exclusiveMinimum` rules out the lower bound itself.
    case number(ClosedRange<Double>, exclusiveMinimum: Bool)
    /// A duration such as `15s`.
    case duration
    /// A percentage such as `25%` in a range.
    case percent(ClosedRange<Double>)
    /// A percentage written `25%` or as the plain number `25`.
    case percentOrNumber(ClosedRange<Double>)
    /// A duration (read as seconds) or a plain number.
    case durationOrNumber
    /// A `host:port` backend address.
    case address
    /// A condition `signal OP number`.
    case condition
    /// `true` or `false`.
    case boolean
    /// One of a fixed set of words.
    case enumeration([String])
    /// A command as a list of arguments.
    case argv
    /// A list of values.
    case list(SchemaNode, minimumCount: Int)
    /// A mapping from keys in a format to values.
    case map(key: StringFormat, value: SchemaNode)
    /// A mapping with known keys only.
    case object([SchemaField])
    /// A mapping with known keys, or one word that stands for "none of it" (`scrape: none`).
    case objectOr(word: String, [SchemaField])
}

/// Formats of text values, each with a pattern the loader checks.
enum StringFormat: Sendable {
    /// A name used in proxy configurations: letters, digits, `_`, `.`, `-`, starting alphanumeric or `_`.
    case identifier
    /// A signal name: letters, digits, `_`, not starting with a digit.
    case signalName
    /// A filesystem path without control characters.
    case path
    /// An HTTP path starting with `/` and made of URL-safe characters.
    case urlPath
    /// A PromQL expression.
    case promQL
    /// A `host:port` address (only as a map key).
    case address
    /// Any printable text (label values, URL parameters, user names).
    case text
    /// A Prometheus label name: `[a-zA-Z_][a-zA-Z0-9_]*`, not starting with `__`.
    case labelName
    /// A size in bytes such as `16MiB` or `10MB` (`ByteSize`).
    case byteSize
    /// An nginx hash key: variables and literal text without blanks, quotes, `;`, `{` or `}`.
    case hashKey
}
