#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fast 64-bit hash over bytes, eight at a time. Used for family names and label-set
/// signatures; collisions only matter for the interleaving and histogram checks, where a 64-bit
/// hash makes them negligible.
enum ByteHashing {
    private static let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15

    @inline(__always)
    static func hash(_ start: UnsafePointer<UInt8>, _ count: Int, seed: UInt64) -> UInt64 {
        var h = seed ^ (UInt64(truncatingIfNeeded: count) &* multiplier)
        var p = UnsafeRawPointer(start)
        var remaining = count
        while remaining >= 8 {
            h = (h ^ p.loadUnaligned(as: UInt64.self)) &* multiplier
            h ^= h >> 29
            p += 8
            remaining -= 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while remaining > 0 {
            tail |= UInt64(p.load(as: UInt8.self)) << shift
            shift += 8
            p += 1
            remaining -= 1
        }
        h = (h ^ tail) &* multiplier
        h ^= h >> 32
        return h
    }

    @inline(__always)
    static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        memcmp(a, b, count) == 0
    }
}
