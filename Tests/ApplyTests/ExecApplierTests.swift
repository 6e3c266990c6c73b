import Foundation
import Logging
import Policy
import TestSupport
import Testing

@testable import Apply

@Suite struct ExecApplierTests {
    @Test func theRoutingReachesTheCommandAsJSON() async throws {
        let directory = try TemporaryDirectory()
        let output = directory.file("routing.json")
        let hook = try directory.write("apply.sh", "#!/bin/sh\ncat > \(output)\n")
        chmod(hook, 0o755)
        let applier = ExecApplier(hook: HookCommand(argv: ["./apply.sh"]), directory: directory.path, logger: Logger(label: "test"))
        let routing = [BackendRouting(address: try BackendAddress(parsing: "10.0.0.1:80"), weight: 7, state: .serving)]
        #expect(try await applier.apply(RoutingChange(pool: "web", routing: routing, decisions: [])) == .carried)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output))) as? [String: Any])
        #expect(document["pool"] as? String == "web")
        let first = try #require((document["routing"] as? [[String: Any]])?.first)
        #expect(first["address"] as? String == "10.0.0.1:80")
        #expect(first["weight"] as? Int == 7)
        #expect(first["state"] as? String == "serving")
    }

    @Test func aFailingCommandFailsTheApply() async throws {
        let applier = ExecApplier(hook: HookCommand(argv: ["/bin/false"]), directory: nil, logger: Logger(label: "test"))
        await #expect(throws: ExecApplyError.self) { _ = try await applier.apply(RoutingChange(pool: "web", routing: [], decisions: [])) }
    }
}
