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

    /// Bytes that start a label's name and its value; neither occurs in UTF-8, so no two series
    /// have the same key.
    private static let labelMark: UInt8 = 0xff
    private static let valueMark: UInt8 = 0xfe

    package init() {
        bytes.reserveCapacity(256)
    }

    /// Makes this the key of `sample`'s series, reusing the buffer.
    package mutating func set(_ sample: SampleView) {
        bytes.removeAll(keepingCapacity: true)
        bytes.append(contentsOf: sample.name)
        for index in 0..<sample.labelCount {
            bytes.append(Self.labelMark)
            bytes.append(contentsOf: sample.labelName(at: index))
            bytes.append(Self.valueMark)
            bytes.append(contentsOf: sample.labelValue(at: index))
        }
    }

    /// Whether `stored`, the bytes of a key, is the key of `sample`'s series, compared piece by
    /// piece with no key built: the collector's guess that a target repeats its series in the
    /// same order is checked with this.
    package static func matches(_ stored: UnsafeBufferPointer<UInt8>, _ sample: SampleView) -> Bool {
        var offset = 0
        func take(_ piece: UnsafeBufferPointer<UInt8>) -> Bool {
            guard stored.count - offset >= piece.count else { return false }
            if piece.count > 0 && memcmp(stored.baseAddress! + offset, piece.baseAddress!, piece.count) != 0 { return false }
            offset += piece.count
            return true
        }
        func take(_ byte: UInt8) -> Bool {
            guard offset < stored.count && stored[offset] == byte else { return false }
            offset += 1
            return true
        }
        guard take(sample.name) else { return false }
        for index in 0..<sample.labelCount {
            guard take(labelMark), take(sample.labelName(at: index)), take(valueMark), take(sample.labelValue(at: index)) else {
                return false
            }
        }
        return offset == stored.count
    }

    /// The series a key's bytes name: its metric name and its labels, in input order. The
    /// collector labels a series from its key when the store asks: for a new series, or one
    /// whose id retention made stale.
    package static func decode(_ stored: UnsafeBufferPointer<UInt8>) -> (name: String, labels: [(name: String, value: String)]) {
        var pieces = stored.split(separator: labelMark, omittingEmptySubsequences: false)[...]
        let name = String(decoding: pieces.removeFirst(), as: UTF8.self)
        let labels = pieces.map { piece in
            // `set` writes the value mark after every label's name.
            let mark = piece.firstIndex(of: valueMark)!
            return (name: String(decoding: piece[..<mark], as: UTF8.self), value: String(decoding: piece[(mark + 1)...], as: UTF8.self))
        }
        return (name, labels)
    }

    /// Makes this a copy of `other`, reusing this key's buffer rather than sharing `other`'s (a
    /// shared buffer would be copied again at `other`'s next `set`).
    package mutating func copy(_ other: RawSeriesKey) {
        bytes.removeAll(keepingCapacity: true)
        bytes.append(contentsOf: other.bytes)
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
