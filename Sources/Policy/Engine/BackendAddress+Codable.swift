/// Addresses travel in the journal, the API and persisted engine state as their canonical
/// `host:port` text (read back with the strict parser), and key JSON objects directly rather than
/// as arrays of pairs.
extension BackendAddress: PolicyTextCodable, CodingKeyRepresentable {
    package var codingKey: any CodingKey { AddressKey(stringValue: description) }

    package init?<T: CodingKey>(codingKey: T) {
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
