/// Reads back what `BitWriter` wrote. Every read reports running past the end instead of
/// trapping, so a damaged chunk surfaces as an error rather than a crash.
struct BitReader {
    private let bytes: [UInt8]
    /// The index of the next bit to read, counted from the start of `bytes`.
    private var position = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Bits left to read.
    var remainingBits: Int { bytes.count * 8 - position }

    mutating func readBit() -> Bool? {
        guard position < bytes.count * 8 else { return nil }
        let byte = bytes[position >> 3]
        let bit = (byte >> UInt8(7 - (position & 7))) & 1
        position += 1
        return bit == 1
    }

    /// Reads `count` bits (0...64), highest first.
    mutating func readBits(_ count: Int) -> UInt64? {
        guard count <= remainingBits else { return nil }
        var value: UInt64 = 0
        var remaining = count
        while remaining > 0 {
            let offset = position & 7
            let available = 8 - offset
            let take = min(available, remaining)
            let byte = UInt64(bytes[position >> 3])
            let chunk = (byte >> UInt64(available - take)) & ((1 << UInt64(take)) - 1)
            value = (value << UInt64(take)) | chunk
            position += take
            remaining -= take
        }
        return value
    }

    mutating func readByte() -> UInt8? {
        readBits(8).map { UInt8($0) }
    }

    mutating func readUVarint() -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while shift < 64 {
            guard let byte = readByte() else { return nil }
            value |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
        return nil
    }

    mutating func readVarint() -> Int64? {
        guard let raw = readUVarint() else { return nil }
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }
}
