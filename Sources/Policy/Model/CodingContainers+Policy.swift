/// Reading the policy's JSON shapes that plain synthesized decoding cannot express: maps kept as
/// ordered lists, one-of choices and values the loader also accepts as bare numbers.
extension KeyedDecodingContainer {
    /// The entries of the object under `key`, in name order: JSON objects carry no order, so name
    /// order is the one every decoder reproduces.
    func decodeEntries<Value: Decodable>(_ type: Value.Type, forKey key: Key) throws -> [(name: String, value: Value)] {
        let map = try nestedContainer(keyedBy: PolicyMapKey.self, forKey: key)
        return try map.allKeys.sorted { $0.stringValue < $1.stringValue }.map { ($0.stringValue, try map.decode(Value.self, forKey: $0)) }
    }

    /// The one key of `keys` that is present, for sections written with exactly one of several
    /// keys (`replicas` or `percent`); the loader enforces the same rule with the same wording.
    func onlyOne(of keys: [Key]) throws -> Key {
        let present = keys.filter(contains)
        guard present.count != 1 else { return present[0] }
        let list = keys.map { "\"\($0.stringValue)\"" }.joined(separator: ", ")
        let problem = present.isEmpty ? "needs one of \(list)" : "takes only one of \(list)"
        throw DecodingError.dataCorrupted(DecodingError.Context(codingPath: codingPath, debugDescription: problem))
    }

    /// A share written `25%` or as the plain number `25`, as the loader reads `percent` keys.
    func decodePercentOrNumber(forKey key: Key) throws -> Percent {
        if let number = try? decode(Double.self, forKey: key) { return Percent(number) }
        return try decode(Percent.self, forKey: key)
    }

    /// A value given as a plain number or as a duration read in seconds (`max_lag.max: 10s`).
    func decodeNumberOrDuration(forKey key: Key) throws -> Double {
        if let number = try? decode(Double.self, forKey: key) { return number }
        return try decode(PolicyDuration.self, forKey: key).seconds
    }
}

extension KeyedEncodingContainer {
    /// Writes ordered `(name, value)` entries as one JSON object under `key`.
    mutating func encodeEntries<Value: Encodable>(_ entries: [(name: String, value: Value)], forKey key: Key) throws {
        var map = nestedContainer(keyedBy: PolicyMapKey.self, forKey: key)
        for entry in entries { try map.encode(entry.value, forKey: PolicyMapKey(entry.name)) }
    }
}
