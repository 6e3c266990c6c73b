/// The backends of a pool: a fixed list, a Prometheus `file_sd` file, or both.
package struct BackendSource: Sendable, Hashable {
    /// Backends listed in the policy itself.
    package var staticAddresses: [BackendAddress]
    /// A Prometheus file_sd JSON file whose targets join the pool, reloaded on change.
    package var fileSD: String?

    /// Creates a source from a static list and an optional file_sd path.
    package init(staticAddresses: [BackendAddress] = [], fileSD: String? = nil) {
        self.staticAddresses = staticAddresses
        self.fileSD = fileSD
    }
}
