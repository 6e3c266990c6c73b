/// One problem found in a file a user wrote (a policy, the daemon's configuration, file_sd, a
/// load trace), printed as `PATH:LINE:COL: message`: the one position-error shape every
/// command reports.
package struct FileDiagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file the problem is in, as given to the reader.
    package var path: String
    /// The 1-based line.
    package var line: Int
    /// The 1-based column, counted in Unicode scalars.
    package var column: Int
    /// What is wrong and how to fix it.
    package var message: String

    /// Creates a diagnostic.
    package init(path: String, line: Int, column: Int, message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.message = message
    }

    package var description: String { "\(path):\(line):\(column): \(message)" }
}
