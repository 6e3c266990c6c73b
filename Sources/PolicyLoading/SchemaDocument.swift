import Policy
import Yams

/// The one path every configuration file takes (policies, the daemon's config, file_sd): YAML
/// (JSON is YAML) composed with positions, checked against a schema table, built into a model,
/// and every problem reported as `PATH:LINE:COL: message`, sorted, not only the first.
enum SchemaDocument {
    /// A problem at a position.
    typealias Problem = (SourcePosition, String)

    /// Loads `yaml`; `prepare` may rewrite the tree first (policy overrides), `build` turns the
    /// checked tree into the model and reports what spans several keys.
    static func load<Model>(
        yaml: String,
        path: String,
        schema: SchemaNode,
        emptyMessage: String,
        validateExpression: PolicyLoader.ExpressionValidator? = nil,
        prepare: (Node) -> (Node, [Problem]) = { ($0, []) },
        build: (Checked, inout [Problem]) -> Model?
    ) throws(PolicyLoadError) -> Model {
        let composed: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw PolicyLoadError(diagnostics: [FileDiagnostic(path: path, line: 1, column: 1, message: emptyMessage)])
            }
            composed = node
        } catch let error as PolicyLoadError {
            throw error
        } catch {
            let (position, message) = YAMLErrorMapping.describe(error, in: yaml)
            throw PolicyLoadError(diagnostics: [FileDiagnostic(path: path, line: position.line, column: position.column, message: message)])
        }
        var (root, problems) = prepare(composed)
        var checker = SchemaChecker(validateExpression: validateExpression, source: yaml)
        let checked = checker.check(root, against: schema, keyPath: "")
        problems += checker.problems
        let model = checked.flatMap { build($0, &problems) }
        guard problems.isEmpty, let model else {
            let diagnostics = problems.enumerated()
                .sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }
                .map { FileDiagnostic(path: path, line: $0.element.0.line, column: $0.element.0.column, message: $0.element.1) }
            throw PolicyLoadError(
                diagnostics: diagnostics.isEmpty ? [FileDiagnostic(path: path, line: 1, column: 1, message: emptyMessage)] : diagnostics
            )
        }
        return model
    }
}
