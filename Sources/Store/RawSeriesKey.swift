package import Exposition

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A sample's series as written in the exposition (name and labels, unescaped, in input order),
/// as one block of bytes: a repeated series is recognised by one hash lookup instead of building
/// and sorting its `Labels`. Import and the collector key their caches with it.
package struct RawSeriesKey: Hashable, Sendable {
    package private(set) var bytes: [UInt8] = []

    package init() {
        bytes.reserveCapacity(256)
    }

    /// Makes this the key of `sample`'s series, reusing the buffer.
    package mutating func set(_ sample: SampleView) {
        bytes.removeAll(keepingCapacity: true)
        bytes.append(contentsOf: sample.name)
        for index in 0..<sample.labelCount {
            bytes.append(0xff)
            bytes.append(contentsOf: sample.labelName(at: index))
            bytes.append(0xfe)
            bytes.append(contentsOf: sample.labelValue(at: index))
        }
    }

    /// Makes this a copy of `other`, reusing this key's buffer rather than sharing `other`'s (a
    /// shared buffer would be copied again at `other`'s next `set`).
    package mutating func copy(_ other: RawSeriesKey) {
        bytes.removeAll(keepingCapacity: true)
        bytes.append(contentsOf: other.bytes)
    }

    /// A copy holding only its bytes, to keep in a cache (`set` leaves room for long series;
    /// a kept key needs none).
    package func compacted() -> RawSeriesKey {
        var copy = RawSeriesKey(capacity: bytes.count)
        copy.bytes.append(contentsOf: bytes)
        return copy
    }

    private init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    /// Hashes the bytes as one block (an array of bytes would feed the hasher one at a time).
    package func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    /// One `memcmp` rather than an element-by-element comparison.
    package static func == (lhs: RawSeriesKey, rhs: RawSeriesKey) -> Bool {
        guard lhs.bytes.count == rhs.bytes.count else { return false }
        return lhs.bytes.withUnsafeBytes { left in
            rhs.bytes.withUnsafeBytes { right in
                left.count == 0 || memcmp(left.baseAddress!, right.baseAddress!, left.count) == 0
            }
        }
    }
}
