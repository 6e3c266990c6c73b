/// A query that does not parse or does not type-check, located by line and byte column as
/// Prometheus reports it (`1:14: parse error: unexpected ")"`), so users can find the spot.
package struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1-based line of the offending token.
    package var line: Int
    /// 1-based byte column of the offending token.
    package var column: Int
    /// What is wrong, without the position.
    package var message: String

    /// An error at a known position.
    package init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    /// Locates `offset` (bytes into `source`) as a line and column.
    init(source: String, offset: Int, message: String) {
        var line = 1
        var lastLineBreak = -1
        for (index, byte) in source.utf8.prefix(offset).enumerated() where byte == UInt8(ascii: "\n") {
            line += 1
            lastLineBreak = index
        }
        self.init(line: line, column: offset - lastLineBreak, message: message)
    }

    package var description: String { "\(line):\(column): parse error: \(message)" }
}
