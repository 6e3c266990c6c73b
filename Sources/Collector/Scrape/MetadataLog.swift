import Exposition

/// A target's HELP, TYPE and UNIT lines of a scrape, compared as bytes with the last scrape's as
/// they are recorded, so a scrape whose metadata is the same as the last one's (nearly every
/// scrape) builds nothing and reuses the last dictionary (building a string for every family and
/// text again was, by `perf`, a twentieth of the collector's time at 200 targets). A changed log
/// is decoded once for every target that sends it (`MetadataLibrary`).
struct MetadataLog: Sendable {
    /// The last scrape's lines and their dictionary, shared with the targets sending the same.
    private var previous = MetadataLibrary.empty
    /// How many bytes of `previous.lines` this scrape's lines have matched so far.
    private var matched = 0
    /// This scrape's lines, once they differ from the last scrape's (empty until then).
    private var current: [UInt8] = []
    private var diverged = false
    /// The line being recorded: its kind, type, and length-prefixed family name and text.
    private var line: [UInt8] = []

    /// Starts recording a scrape's lines.
    mutating func begin() {
        matched = 0
        current = []
        diverged = false
    }

    /// Records one line.
    mutating func record(_ view: MetadataView) {
        line.removeAll(keepingCapacity: true)
        line.append(UInt8(Self.kinds.firstIndex(of: view.kind)!))
        line.append(view.type.map { UInt8(MetricType.allCases.firstIndex(of: $0)!) } ?? .max)
        append(view.name)
        append(view.text)
        if diverged {
            current.append(contentsOf: line)
        } else if previous.lines.count - matched >= line.count
            && previous.lines[matched..<(matched + line.count)].elementsEqual(line)
        {
            matched += line.count
        } else {
            current = Array(previous.lines[..<matched]) + line
            diverged = true
        }
    }

    /// The metadata of the lines recorded since `begin`, taken from `library` when they changed.
    mutating func finish(sharing library: MetadataLibrary) -> [String: MetricMetadata] {
        if diverged || matched != previous.lines.count {
            previous = library.shared(diverged ? current : Array(previous.lines[..<matched]))
            current = []
            diverged = false
        }
        return previous.metadata
    }

    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        withUnsafeBytes(of: UInt32(bytes.count).littleEndian) { line.append(contentsOf: $0) }
        line.append(contentsOf: bytes)
    }

    /// A line's kind is recorded as its position here.
    private static let kinds: [MetadataView.Kind] = [.help, .type, .unit]

    /// The lines in order, the last of each kind winning per family, as the parser reported them.
    static func decode(_ log: [UInt8]) -> [String: MetricMetadata] {
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
