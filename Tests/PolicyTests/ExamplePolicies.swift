import Foundation

/// The example policies shipped in `policies/`, read from the repository checkout.
enum ExamplePolicies {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("policies")

    static let names = ["web-nginx.yaml", "api-haproxy.yaml", "db-active-passive.yaml", "hpa-equivalent.yaml"]

    static func text(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }
}
