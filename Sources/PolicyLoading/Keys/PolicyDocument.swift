package import Policy

/// A policy written out as the policy file it could have been loaded from: the YAML keys, units as
/// written (`15s`, `25%`), maps as mappings. The status API and replay reports show policies this
/// way, and the JSON it encodes to loads back through ``PolicyLoader`` (JSON is YAML), which is
/// how a policy is read from JSON: one reader, one set of messages.
package indirect enum PolicyDocument: Sendable, Hashable, Encodable {
    case text(String)
    case integer(Int)
    case number(Double)
    case boolean(Bool)
    case list([PolicyDocument])
    /// Keys in schema order (the encoder may sort them).
    case object([Entry])

    /// One key of an object.
    package struct Entry: Sendable, Hashable {
        package var key: String
        package var value: PolicyDocument
    }

    package func encode(to encoder: any Encoder) throws {
        switch self {
        case .text(let text):
            var container = encoder.singleValueContainer()
            try container.encode(text)
        case .integer(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .number(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .boolean(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .list(let items):
            var container = encoder.unkeyedContainer()
            for item in items { try container.encode(item) }
        case .object(let entries):
            var container = encoder.container(keyedBy: DocumentKey.self)
            for entry in entries { try container.encode(entry.value, forKey: DocumentKey(stringValue: entry.key)) }
        }
    }

    /// The document as a JSON value for `JSONSerialization` (the JSON Schema printer's defaults).
    var jsonObject: Any {
        switch self {
        case .text(let text): text
        case .integer(let value): value
        case .number(let value): value
        case .boolean(let value): value
        case .list(let items): items.map(\.jsonObject)
        case .object(let entries): Dictionary(entries.map { ($0.key, $0.value.jsonObject) }, uniquingKeysWith: { $1 })
        }
    }

    /// An object's keys: the policy's own key names, or names and addresses a user chose.
    private struct DocumentKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }

        init(stringValue: String) {
            self.stringValue = stringValue
        }

        init?(intValue: Int) {
            nil
        }
    }
}

extension PoolPolicy {
    /// The policy as the file it could have been loaded from; see ``PolicyDocument``.
    package var document: PolicyDocument {
        Self.keys.document(of: self)
    }
}
