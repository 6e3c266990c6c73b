import Foundation
package import Logging
package import Policy

/// Hands a pool's desired routing to a command, for systems Ballast has no built-in applier for
/// (Envoy, a cloud load balancer). The command gets one JSON document on stdin (the schema is
/// `docs/schemas/exec-applier.request.schema.json`); exit 0 within its timeout means the routing is
/// carried, anything else fails the apply, which is reported and retried.
package struct ExecApplier: Applier {
    package let name = "exec"
    private let hook: HookCommand
    private let directory: String?
    private let runner: HookRunner
    private let logger: Logger

    package init(hook: HookCommand, directory: String?, logger: Logger, runner: HookRunner = HookRunner()) {
        self.hook = hook
        self.directory = directory
        self.runner = runner
        self.logger = logger
    }

    package func apply(_ change: RoutingChange) async throws -> ApplyOutcome {
        let result = try await runner.run(
            hook.argv,
            input: try Self.document(change),
            timeout: .milliseconds(hook.timeout.milliseconds),
            directory: directory
        )
        if let failure = result.failure { throw ExecApplyError.failed(command: hook.argv, detail: failure) }
        if !result.stderr.bytes.isEmpty {
            logger.info("exec applier stderr", metadata: ["pool": "\(change.pool)", "stderr": "\(result.stderr.logText)"])
        }
        return .carried
    }

    package func plan(_ change: RoutingChange) async throws -> String {
        "run \(hook.argv.map(\.quotedForMessage).joined(separator: " ")) with stdin:\n" + String(decoding: try Self.document(change), as: UTF8.self)
            + "\n"
    }

    /// The whole routing is rendered at every change: nothing to learn.
    package func remember(_ routing: [BackendRouting]) async {}

    /// `{"pool", "routing": [{"address", "weight", "state"}], "decisions": [...]}`.
    static func document(_ change: RoutingChange) throws -> [UInt8] {
        struct Document: Encodable {
            var pool: String
            var routing: [BackendRouting]
            var decisions: [Decision]
        }
        return try HookJSON.encode(Document(pool: change.pool, routing: change.routing, decisions: change.decisions))
    }
}

/// Why an exec applier does not carry a change.
package enum ExecApplyError: Error, Sendable, CustomStringConvertible {
    case failed(command: [String], detail: String)

    package var description: String {
        switch self {
        case .failed(let command, let detail): "\(command.first ?? "the exec applier") failed: \(detail)"
        }
    }
}
