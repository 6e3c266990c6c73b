import Policy
import Yams

/// Applies ``PolicyOverride``s to a composed policy tree. Key paths are checked against
/// ``PolicySchema`` (so only keys the loader knows can be overridden), and the new value takes the
/// position of the value it replaces, so later problems still point into the file.
struct OverrideApplier {
    private(set) var problems: [(SourcePosition, String)] = []

    mutating func apply(_ override: PolicyOverride, to root: Node) -> Node {
        let keys = override.keyPath.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if let problem = Self.problem(with: keys) {
            problems.append((root.position, "override \(override.keyPath.quotedForMessage): \(problem)"))
            return root
        }
        let value: Node
        do {
            value = try Yams.compose(yaml: override.value) ?? Node("", Tag(.null))
        } catch {
            problems.append(
                (root.position, "override \(override.keyPath.quotedForMessage): the value \(override.value.quotedForMessage) is not valid YAML")
            )
            return root
        }
        return Self.replacing(keys[...], in: root, with: value)
    }

    /// Why `keys` does not name a value the schema knows, or `nil`.
    private static func problem(with keys: [String]) -> String? {
        var schema = PolicySchema.root
        var walked: [String] = []
        for key in keys {
            let owner = walked.isEmpty ? "the policy" : walked.joined(separator: ".")
            switch schema.kind {
            case .object(let fields), .objectOr(_, let fields):
                guard let field = fields.first(where: { $0.name == key }) else {
                    let hint = Spelling.hint(for: key, among: fields.map(\.name)) ?? ""
                    return "unknown key \(key.quotedForMessage) in \(owner)\(hint)"
                }
                schema = field.node
            case .map(let keyFormat, let value):
                if let problem = keyFormat.problem(with: key) { return "\(owner): \(problem)" }
                schema = value
            default:
                return "\(owner) has no keys below it; lists and values are replaced as a whole"
            }
            walked.append(key)
        }
        return keys.isEmpty ? "the key path is empty" : nil
    }

    /// `node` with the value at `keys` set to `value`, creating mappings on the way.
    private static func replacing(_ keys: ArraySlice<String>, in node: Node, with value: Node) -> Node {
        guard let key = keys.first else { return value.marked(node.mark) }
        let mapping = node.mapping ?? Node.Mapping([], .implicit, .any, node.mark)
        var pairs = mapping.map { ($0.key, $0.value) }
        if let index = pairs.lastIndex(where: { $0.0.string == key }) {
            pairs[index].1 = replacing(keys.dropFirst(), in: pairs[index].1, with: value)
        } else {
            let absent = Node.mapping(Node.Mapping([], .implicit, .any, mapping.mark))
            pairs.append((Node.scalar(Node.Scalar(key, .implicit, .plain, mapping.mark)), replacing(keys.dropFirst(), in: absent, with: value)))
        }
        return .mapping(Node.Mapping(pairs, mapping.tag, mapping.style, mapping.mark))
    }
}

extension Node {
    /// The same tree with every position set to `mark`.
    fileprivate func marked(_ mark: Mark?) -> Node {
        switch self {
        case .scalar(let scalar):
            .scalar(Node.Scalar(scalar.string, scalar.tag, scalar.style, mark))
        case .mapping(let mapping):
            .mapping(Node.Mapping(mapping.map { ($0.key.marked(mark), $0.value.marked(mark)) }, mapping.tag, mapping.style, mark))
        case .sequence(let sequence):
            .sequence(Node.Sequence(sequence.map { $0.marked(mark) }, sequence.tag, sequence.style, mark))
        case .alias:
            self
        }
    }
}
