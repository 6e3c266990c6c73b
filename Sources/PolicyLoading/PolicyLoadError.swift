import Policy

/// Every problem found while loading one policy file, in file order.
public struct PolicyLoadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The problems, sorted by position; never empty.
    public var diagnostics: [PolicyDiagnostic]

    /// Creates an error from its diagnostics.
    public init(diagnostics: [PolicyDiagnostic]) {
        self.diagnostics = diagnostics
    }

    /// One `PATH:LINE:COL: message` line per problem.
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
