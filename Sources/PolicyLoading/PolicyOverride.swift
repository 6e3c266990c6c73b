import Policy

/// One value replaced before a policy is checked, addressed by its dotted key path
/// (`scaling.target.value`), so tools such as `ballast tune --vary` can derive candidate policies
/// from one file and still get every problem reported against that file.
package struct PolicyOverride: Sendable, Hashable {
    /// Dotted mapping keys from the root, e.g. `scaling.up.stabilization` or `signals.cpu`.
    package var keyPath: String
    /// The new value as YAML text: `0.5`, `30s`, `25%`, `[a, b]`.
    package var value: String

    /// Creates an override.
    package init(keyPath: String, value: String) {
        self.keyPath = keyPath
        self.value = value
    }
}
