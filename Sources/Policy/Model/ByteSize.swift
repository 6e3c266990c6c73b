/// A size in bytes written as a number with an optional unit (`16MiB`, `512KiB`, `10MB`, `1GB`,
/// `65536`), as Prometheus writes `body_size_limit` and `retention.size`.
package enum ByteSize {
    private static let units: [(String, Int)] = [
        ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("TiB", 1 << 40),
        ("KB", 1_000), ("MB", 1_000_000), ("GB", 1_000_000_000), ("TB", 1_000_000_000_000), ("B", 1), ("", 1),
    ]

    /// The size in bytes, or nil when `text` is not a whole number with one of the units. A size
    /// beyond `Int.max` is `Int.max`: it is a size, too large for `scrape.body_size_limit`
    /// (refused by its range, by name) and, as `store.retention_size`, a limit never reached.
    package static func parse(_ text: String) -> Int? {
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty else { return nil }
        let unit = String(text.dropFirst(digits.count))
        guard let size = units.first(where: { $0.0 == unit })?.1 else { return nil }
        guard let number = Int(digits) else { return .max }
        let (bytes, overflow) = number.multipliedReportingOverflow(by: size)
        return overflow ? .max : bytes
    }
}
