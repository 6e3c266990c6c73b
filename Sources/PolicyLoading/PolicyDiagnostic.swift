import Policy

/// One problem found in a policy file, printed as `PATH:LINE:COL: message`.
public struct PolicyDiagnostic: Sendable, Hashable, CustomStringConvertible {
    /// The file the problem is in, as given to the loader.
    public var path: String
    /// The 1-based line.
    public var line: Int
    /// The 1-based column, counted in Unicode scalars.
    public var column: Int
    /// What is wrong and how to fix it.
    public var message: String

    /// Creates a diagnostic.
    public init(path: String, line: Int, column: Int, message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(path):\(line):\(column): \(message)" }
}
