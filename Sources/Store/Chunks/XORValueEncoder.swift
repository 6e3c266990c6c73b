/// The value half of the Gorilla encoding: each float is XORed with the previous one, and only
/// the meaningful bits between the leading and trailing zeros are written, reusing the previous
/// window when the new bits fit in it.
struct XORValueEncoder {
    private var previous: UInt64 = 0
    // Bytes, not Ints (the head keeps an encoder per series); 255 stands for "no window yet".
    private var leadingStorage = UInt8.max
    private var trailingStorage: UInt8 = 0
    private var leading: Int {
        get { leadingStorage == .max ? Int.max : Int(leadingStorage) }
        set { leadingStorage = newValue == Int.max ? .max : UInt8(newValue) }
    }
    private var trailing: Int {
        get { Int(trailingStorage) }
        set { trailingStorage = UInt8(newValue) }
    }

    mutating func start(_ bits: UInt64) {
        previous = bits
        leading = Int.max
        trailing = 0
    }

    mutating func encode(_ bits: UInt64, into writer: inout BitWriter) {
        let xor = bits ^ previous
        previous = bits
        if xor == 0 {
            writer.writeBit(false)
            return
        }
        writer.writeBit(true)
        // The leading count is stored in 5 bits, so it is capped at 31.
        let newLeading = min(xor.leadingZeroBitCount, 31)
        let newTrailing = xor.trailingZeroBitCount
        if leading != Int.max, newLeading >= leading, newTrailing >= trailing {
            writer.writeBit(false)
            writer.writeBits(xor >> UInt64(trailing), count: 64 - leading - trailing)
            return
        }
        leading = newLeading
        trailing = newTrailing
        let significant = 64 - leading - trailing
        writer.writeBit(true)
        writer.writeBits(UInt64(leading), count: 5)
        // 64 significant bits do not fit in 6 bits; 0 stands for 64 (0 itself never occurs).
        writer.writeBits(UInt64(significant & 63), count: 6)
        writer.writeBits(xor >> UInt64(trailing), count: significant)
    }
}

/// Reads what `XORValueEncoder` wrote.
struct XORValueDecoder {
    private(set) var previous: UInt64 = 0
    private var leading = 0
    private var trailing = 0

    mutating func start(_ bits: UInt64) {
        previous = bits
    }

    /// Decodes the next value into `previous`; false when the data ends early or is invalid.
    mutating func decode(from reader: inout BitReader) -> Bool {
        guard let changed = reader.readBit() else { return false }
        if !changed { return true }
        guard let newWindow = reader.readBit() else { return false }
        if newWindow {
            guard let lead = reader.readBits(5), let sig = reader.readBits(6) else { return false }
            let significant = sig == 0 ? 64 : Int(sig)
            leading = Int(lead)
            trailing = 64 - leading - significant
            guard trailing >= 0 else { return false }
        }
        guard let bits = reader.readBits(64 - leading - trailing) else { return false }
        previous ^= bits << UInt64(trailing)
        return true
    }
}
