package import Policy

/// One group of a Prometheus file_sd file: backends and the labels they share.
package struct FileSDGroup: Sendable, Hashable {
    package var targets: [BackendAddress]
    package var labels: [String: String]

    package init(targets: [BackendAddress], labels: [String: String]) {
        self.targets = targets
        self.labels = labels
    }
}

/// Reads Prometheus file_sd files (JSON or YAML: a list of `{targets: [...], labels: {...}}`) with
/// the same strictness as policies: every address must be a valid `host:port` (nothing else may
/// reach a proxy configuration), label names Prometheus' own, unknown keys refused, and every
/// problem reported as `PATH:LINE:COL`.
package struct FileSDLoader: Sendable {
    package init() {}

    static let schema = SchemaNode(
        .list(
            SchemaNode(
                .object([
                    SchemaField(
                        "targets",
                        required: true,
                        SchemaNode(.list(SchemaNode(.address, "A backend as host:port."), minimumCount: 0), "Backends.")
                    ),
                    SchemaField(
                        "labels",
                        SchemaNode(.map(key: .labelName, value: SchemaNode(.string(.text), "A label value.")), "Labels of every target of the group.")
                    ),
                ]),
                "A target group."
            ),
            minimumCount: 0
        ),
        "Prometheus file_sd target groups."
    )

    /// Parses a file_sd document; `path` names the file in diagnostics.
    package func load(text: String, path: String) throws(PolicyLoadError) -> [FileSDGroup] {
        try SchemaDocument.load(yaml: text, path: path, schema: Self.schema, emptyMessage: "the file is empty; write [] for no targets") {
            checked,
            _ in
            guard case .list(let groups) = checked.value else { return nil }
            return groups.compactMap { group -> FileSDGroup? in
                guard case .object(let object) = group.value else { return nil }
                let targets = (object.list("targets") ?? []).compactMap { item -> BackendAddress? in
                    if case .address(let address) = item.value { address } else { nil }
                }
                var labels: [String: String] = [:]
                for entry in object.map("labels") ?? [] {
                    if case .text(let name) = entry.key.value, case .text(let value) = entry.value.value { labels[name] = value }
                }
                return FileSDGroup(targets: targets, labels: labels)
            }
        }
    }
}
