import Foundation
import Policy
import TestSupport
import Testing

@testable import PolicyLoading

@Suite struct PolicyJSONSchemaTests {
    private func document() throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(PolicyJSONSchema.text.utf8))
        return try #require(object as? [String: Any])
    }

    /// Dotted key paths of every property in the JSON Schema, `[]` marking list items.
    private func keyPaths(in schema: [String: Any], prefix: String = "") -> [String] {
        var paths: [String] = []
        if let properties = schema["properties"] as? [String: Any] {
            for (name, value) in properties {
                let path = prefix.isEmpty ? name : "\(prefix).\(name)"
                paths.append(path)
                if let child = value as? [String: Any] { paths += keyPaths(in: child, prefix: path) }
            }
        }
        if let items = schema["items"] as? [String: Any], items["properties"] != nil {
            paths += keyPaths(in: items, prefix: prefix + "[]")
        }
        // A mapping or a word (`scrape: none`): the mapping's keys.
        for choice in schema["oneOf"] as? [[String: Any]] ?? [] where choice["properties"] != nil {
            paths += keyPaths(in: choice, prefix: prefix)
        }
        return paths
    }

    @Test func schemaIsDraft2020JSON() throws {
        let document = try document()
        #expect(document["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        #expect(document["required"] as? [String] == ["pool", "backends"])
        #expect(document["additionalProperties"] as? Bool == false)
    }

    @Test func schemaListsEveryKeyTheLoaderKnows() throws {
        let fromJSON = Set(keyPaths(in: try document()))
        #expect(fromJSON == Set(PolicySchema.keyPaths))
        #expect(
            fromJSON.isSuperset(of: [
                "scaling.up.policies[].period", "failover.eligibility.max_lag.max", "apply.haproxy.socket", "weights.stale_after",
            ])
        )
    }

    @Test func loaderAcceptsEveryKeyOfTheSchema() {
        let yaml = PolicyJSONSchemaTests.everyKey(PolicySchema.root)
        var unknown: [String] = []
        do {
            _ = try PolicyLoader().load(yaml: yaml, path: "all.yaml")
        } catch {
            unknown = error.diagnostics.map(\.message).filter { $0.hasPrefix("unknown key") }
        }
        #expect(unknown == [])
    }

    @Test func defaultsAreDocumentedFromTheModel() throws {
        let properties = try #require(try document()["properties"] as? [String: Any])
        let health = try #require((properties["health"] as? [String: Any])?["properties"] as? [String: Any])
        #expect((health["max_ejected"] as? [String: Any])?["default"] as? String == "10%")
        #expect((health["panic_threshold"] as? [String: Any])?["default"] as? String == "50%")
        let scaling = try #require((properties["scaling"] as? [String: Any])?["properties"] as? [String: Any])
        let down = try #require((scaling["down"] as? [String: Any])?["properties"] as? [String: Any])
        #expect((down["stabilization"] as? [String: Any])?["default"] as? String == "5m")
        let weights = try #require((properties["weights"] as? [String: Any])?["properties"] as? [String: Any])
        #expect((weights["max"] as? [String: Any])?["default"] as? Int == 100)
        let apply = try #require((properties["apply"] as? [String: Any])?["properties"] as? [String: Any])
        let nginx = try #require((apply["nginx"] as? [String: Any])?["properties"] as? [String: Any])
        #expect((nginx["reload"] as? [String: Any])?["default"] as? [String] == ["nginx", "-s", "reload"])
    }

    /// A JSON (hence YAML) document using every key of `node` once, with placeholder values.
    private static func everyKey(_ node: SchemaNode) -> String {
        switch node.kind {
        case .object(let fields): "{" + fields.map { "\"\($0.name)\": \(everyKey($0.node))" }.joined(separator: ", ") + "}"
        case .list(let item, _): "[\(everyKey(item))]"
        case .map(_, let value): "{\"key\": \(everyKey(value))}"
        default: "\"x\""
        }
    }
}
