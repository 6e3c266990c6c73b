import Testing

@testable import Policy

@Suite struct PolicyLoaderTests {
    private func diagnostics(_ yaml: String) -> [String] {
        do {
            _ = try PolicyLoader().load(yaml: yaml, path: "p.yaml")
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    @Test(arguments: ExamplePolicies.names)
    func examplePolicyLoadsCleanly(name: String) throws {
        let yaml = try ExamplePolicies.text(name)
        #expect(diagnostics(yaml) == [])
    }
}
