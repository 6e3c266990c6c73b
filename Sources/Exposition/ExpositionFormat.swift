/// The two text formats a backend may expose. They differ in whitespace, timestamp units,
/// types and the mandatory `# EOF`, so the parser must be told which one it reads.
public enum ExpositionFormat: Sendable, Hashable {
    /// Prometheus text format 0.0.4 (and 1.0.0 with quoted UTF-8 names).
    case prometheusText
    /// OpenMetrics 1.0 text.
    case openMetrics

    /// The format a scrape response declares in its `Content-Type`, or nil when it names neither
    /// (Prometheus then fails the scrape unless a fallback is configured).
    public init?(contentType: String) {
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first.map {
            $0.trimmingCharacters(in: " \t").lowercased()
        }
        switch mediaType {
        case "application/openmetrics-text": self = .openMetrics
        case "text/plain": self = .prometheusText
        default: return nil
        }
    }
}

extension ExpositionFormat {
    /// Guesses the format from the body, for inputs without a `Content-Type`: OpenMetrics when it
    /// ends with `# EOF` (optionally followed by one line feed), which OpenMetrics requires and
    /// the text format has no reason to contain.
    public init(detectingIn bytes: some BidirectionalCollection<UInt8>) {
        var tail = bytes[...]
        if tail.last == UInt8(ascii: "\n") { tail = tail.dropLast() }
        let marker = "# EOF".utf8
        let endsWithMarker = tail.reversed().starts(with: marker.reversed())
        let lineStart = tail.dropLast(marker.count).last
        self = endsWithMarker && (lineStart == nil || lineStart == UInt8(ascii: "\n")) ? .openMetrics : .prometheusText
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> Substring {
        var slice = self
        while let first = slice.first, set.contains(first) { slice.removeFirst() }
        while let last = slice.last, set.contains(last) { slice.removeLast() }
        return slice
    }
}
