public import Foundation

/// The example policies shipped in `policies/`, read from the repository checkout.
public enum ExamplePolicies {
    public static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("policies")

    public static let names = ["web-nginx.yaml", "api-haproxy.yaml", "db-active-passive.yaml", "hpa-equivalent.yaml"]

    public static func text(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }
}
