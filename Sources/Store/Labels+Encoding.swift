extension Labels {
    /// The stored form: for each pair, the name and the value as length-prefixed UTF-8.
    /// Unambiguous for any bytes, and identical for equal label sets since pairs are canonical.
    /// Built by appending whole strings: through a `BitWriter` a byte at a time it was 40% of
    /// the writer's time while it created series (by `perf`, 100,000 series at start-up).
    var encoded: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(pairs.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 4 })
        for pair in pairs {
            BitWriter.uvarintBytes(of: UInt64(pair.name.utf8.count)) { bytes.append($0) }
            bytes.append(contentsOf: pair.name.utf8)
            BitWriter.uvarintBytes(of: UInt64(pair.value.utf8.count)) { bytes.append($0) }
            bytes.append(contentsOf: pair.value.utf8)
        }
        return bytes
    }

    /// Reads back `encoded`; nil when the bytes are damaged.
    init?(encoded bytes: [UInt8]) {
        var pairs: [Label] = []
        var index = 0
        func readString() -> String? {
            var length = 0
            var shift = 0
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                length |= Int(byte & 0x7f) << shift
                if byte < 0x80 {
                    guard index + length <= bytes.count else { return nil }
                    defer { index += length }
                    return String(decoding: bytes[index..<(index + length)], as: UTF8.self)
                }
                shift += 7
            }
            return nil
        }
        while index < bytes.count {
            guard let name = readString(), let value = readString() else { return nil }
            pairs.append(Label(name: name, value: value))
        }
        self.init(pairs)
    }

    /// A 64-bit FNV-1a hash of `encoded`, the key of the series index. Collisions are
    /// resolved by comparing the stored label sets.
    static func hash(of encoded: [UInt8]) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in encoded {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return Int64(bitPattern: hash)
    }
}
