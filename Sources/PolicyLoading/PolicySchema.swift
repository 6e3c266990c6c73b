import Policy

/// The policy file's schema, as the key tables (`Keys/`) define it: the tree the checker walks,
/// overrides are resolved against, and `--print-schema` prints.
enum PolicySchema {
    /// The root mapping of a policy file.
    static var root: SchemaNode { PoolPolicy.keys.node }

    /// Every dotted key path the loader knows (`scaling.up.policies[].period`), for tests and docs.
    static var keyPaths: [String] {
        var paths: [String] = []
        func walk(_ node: SchemaNode, _ prefix: String) {
            switch node.kind {
            case .object(let fields), .objectOr(_, let fields):
                for field in fields {
                    let path = prefix.isEmpty ? field.name : "\(prefix).\(field.name)"
                    paths.append(path)
                    walk(field.node, path)
                }
            case .list(let item, _):
                walk(item, prefix + "[]")
            default:
                break
            }
        }
        walk(root, "")
        return paths
    }
}
