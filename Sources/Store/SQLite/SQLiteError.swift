/// A failure reported by SQLite, with the statement or file it concerns and SQLite's own
/// message, so the user can tell a full disk from a locked or damaged database.
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    /// SQLite's primary or extended result code.
    public var code: Int32
    public var message: String
    /// What the store was doing (a file path or the SQL text).
    public var context: String

    public var description: String {
        "\(context): \(message) (SQLite error \(code))"
    }
}
