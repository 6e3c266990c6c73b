package import Policy

/// Every problem found while loading one policy file, in file order.
package struct PolicyLoadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The problems, sorted by position; never empty.
    package var diagnostics: [FileDiagnostic]

    /// Creates an error from its diagnostics.
    package init(diagnostics: [FileDiagnostic]) {
        self.diagnostics = diagnostics
    }

    /// One `PATH:LINE:COL: message` line per problem.
    package var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
