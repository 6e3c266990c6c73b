/// Addresses travel in the journal, the API and persisted engine state as their canonical
/// `host:port` text, and key JSON objects directly (not as arrays of pairs).
extension BackendAddress: Codable, CodingKeyRepresentable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try BackendAddress(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(error)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public var codingKey: any CodingKey { AddressKey(stringValue: description) }

    public init?<T: CodingKey>(codingKey: T) {
        guard let address = try? BackendAddress(parsing: codingKey.stringValue) else { return nil }
        self = address
    }
}

private struct AddressKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }

    init(stringValue: String) {
        self.stringValue = stringValue
    }

    init?(intValue: Int) {
        nil
    }
}
