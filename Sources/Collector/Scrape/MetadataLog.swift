import Exposition

/// A target's HELP, TYPE and UNIT lines of a scrape kept as bytes, so a scrape whose metadata is
/// the same as the last one's (nearly every scrape) reuses the last dictionary instead of
/// building a string for every family and text again (by `perf`, a twentieth of the collector's
/// time at 200 targets).
struct MetadataLog: Sendable {
    /// The lines of the last scrape that gave `metadata`, and those of the scrape being parsed:
    /// per line its kind, type, and length-prefixed family name and text.
    private var previous: [UInt8] = []
    private var current: [UInt8] = []
    /// HELP, TYPE and UNIT by family, from `previous`.
    private(set) var metadata: [String: MetricMetadata] = [:]

    /// Starts recording a scrape's lines.
    mutating func begin() {
        current.removeAll(keepingCapacity: true)
    }

    /// Records one line.
    mutating func record(_ line: MetadataView) {
        current.append(UInt8(Self.kinds.firstIndex(of: line.kind)!))
        current.append(line.type.map { UInt8(MetricType.allCases.firstIndex(of: $0)!) } ?? .max)
        append(line.name)
        append(line.text)
    }

    /// The metadata of the lines recorded since `begin`; decoded only when they changed.
    mutating func finish() -> [String: MetricMetadata] {
        if current != previous {
            metadata = Self.decode(current)
            swap(&previous, &current)
        }
        return metadata
    }

    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        withUnsafeBytes(of: UInt32(bytes.count).littleEndian) { current.append(contentsOf: $0) }
        current.append(contentsOf: bytes)
    }

    /// A line's kind is recorded as its position here.
    private static let kinds: [MetadataView.Kind] = [.help, .type, .unit]

    /// The lines in order, the last of each kind winning per family, as the parser reported them.
    private static func decode(_ log: [UInt8]) -> [String: MetricMetadata] {
        var metadata: [String: MetricMetadata] = [:]
        var offset = 0
        func text() -> String {
            let count = Int(UInt32(log[offset]) | UInt32(log[offset + 1]) << 8 | UInt32(log[offset + 2]) << 16 | UInt32(log[offset + 3]) << 24)
            defer { offset += 4 + count }
            return String(decoding: log[(offset + 4)..<(offset + 4 + count)], as: UTF8.self)
        }
        while offset < log.count {
            let (kind, type) = (log[offset], log[offset + 1])
            offset += 2
            let family = text()
            let value = text()
            var entry = metadata[family] ?? MetricMetadata()
            switch kinds[Int(kind)] {
            case .help: entry.help = value
            case .unit: entry.unit = value
            case .type:
                let declared = type == .max ? nil : MetricType.allCases[Int(type)]
                entry.type = declared.map { $0 == .unknown ? "unknown" : $0.rawValue } ?? "unknown"
            }
            metadata[family] = entry
        }
        return metadata
    }
}
