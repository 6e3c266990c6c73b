/// Why an exposition was rejected, and where. Lines and columns are 1-based; the column counts
/// bytes, not characters, so it points at the exact byte even in invalid UTF-8. The description
/// is `LINE:COL: message`; a command prefixes it with the file name to get `FILE:LINE:COL: message`.
public struct ExpositionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The 1-based line of the offending byte.
    public var line: Int
    /// The 1-based byte column of the offending byte within its line.
    public var column: Int
    /// What is wrong and, where it helps, what the exposition should contain instead.
    public var message: String
    /// Whether Prometheus counts the offending line's sample in `scrape_samples_scraped`: it
    /// finds this fault (a duplicate label name in a line that otherwise parses) when it stores
    /// the sample, not while it parses.
    public var countsTheSample = false

    /// Creates an error at a position.
    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(line):\(column): \(message)" }

    /// The message prefixed with a file name, as every command reports file errors.
    public func described(inFile path: String) -> String { "\(path):\(description)" }
}
