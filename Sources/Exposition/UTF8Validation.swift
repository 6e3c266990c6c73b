/// UTF-8 validity as Go's `utf8.Valid` defines it (no overlong forms, no surrogates, nothing above
/// U+10FFFF). Both formats require UTF-8 text; the parser checks only the bytes it has already
/// seen to be non-ASCII, so plain ASCII exposition pays nothing for it.
enum UTF8Validation {
    /// Returns the offset of the first byte of the first invalid sequence, or nil when valid.
    static func firstInvalidOffset(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Int? {
        var p = start
        while p < end {
            let lead = p.pointee
            if lead < 0x80 {
                p += 1
                continue
            }
            let length: Int
            var lower: UInt8 = 0x80
            var upper: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0:
                length = 3
                lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED:
                length = 3
                upper = 0x9F
            case 0xF0:
                length = 4
                lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4:
                length = 4
                upper = 0x8F
            default: return p - start
            }
            guard end - p >= length else { return p - start }
            let second = p[1]
            guard second >= lower && second <= upper else { return p - start }
            for index in 2..<length where p[index] & 0xC0 != 0x80 {
                return p - start
            }
            p += length
        }
        return nil
    }

    /// Whether every byte is ASCII, eight bytes at a time.
    @inline(__always)
    static func isASCII(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Bool {
        var p = start
        var accumulated: UInt64 = 0
        while end - p >= 8 {
            accumulated |= UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)
            p += 8
        }
        var tail: UInt8 = 0
        while p < end {
            tail |= p.pointee
            p += 1
        }
        return accumulated & 0x8080_8080_8080_8080 == 0 && tail & 0x80 == 0
    }

    /// The number of Unicode scalars in valid UTF-8: every byte that is not a continuation byte.
    static func scalarCount(_ start: UnsafePointer<UInt8>, _ count: Int) -> Int {
        var scalars = 0
        for index in 0..<count where start[index] & 0xC0 != 0x80 {
            scalars += 1
        }
        return scalars
    }
}
