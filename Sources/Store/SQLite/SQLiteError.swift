/// A failure reported by SQLite, with the statement or file it concerns and SQLite's own
/// message, so the user can tell a full disk from a locked or damaged database.
package struct SQLiteError: Error, CustomStringConvertible, Sendable {
    /// SQLite's primary or extended result code.
    package var code: Int32
    package var message: String
    /// What the store was doing (a file path or the SQL text).
    package var context: String

    package var description: String {
        "\(context): \(message) (SQLite error \(code))"
    }
}
