import Policy
import PolicyLoading

extension PolicyLoader {
    /// Every problem loading `yaml` as `p.yaml` reports, as `PATH:LINE:COL: message`; empty when it loads.
    func diagnostics(_ yaml: String) -> [String] {
        do {
            _ = try load(yaml: yaml, path: "p.yaml")
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }
}
