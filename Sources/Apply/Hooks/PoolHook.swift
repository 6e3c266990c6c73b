import Foundation
package import Policy

/// A pool's scale or promote hook: the policy's command, where relative programs are found (the
/// policy's directory) and the runner. Protocols in `docs/schemas/`.
package struct PoolHook: Sendable {
    package var hook: HookCommand
    package var directory: String?
    package var runner: HookRunner

    package init(hook: HookCommand, directory: String?, runner: HookRunner = HookRunner()) {
        self.hook = hook
        self.directory = directory
        self.runner = runner
    }

    /// Runs a scale hook: Ballast decided how many replicas the pool needs, the hook makes it so
    /// (starts or stops instances, calls a cloud API) and answers the pool's members afterwards:
    /// stdin `{"pool", "from", "to", "backends": ["host:port", ...], "reason"}`; exit 0 and stdout
    /// `{"backends": ["host:port", ...]}`. Every answered address is validated like any other (an
    /// invalid one fails the hook, so nothing a hook prints reaches a proxy unchecked), and an
    /// empty answer is refused: a pool is never emptied. Returns the members, or why it failed.
    package func scale(pool: String, from: Int, to: Int, backends: [BackendAddress], reason: String) async -> Result<[BackendAddress], HookFailure> {
        struct Request: Encodable {
            var pool: String
            var from: Int
            var to: Int
            var backends: [String]
            var reason: String
        }
        struct Answer: Decodable {
            var backends: [String]
        }
        let request = Request(pool: pool, from: from, to: to, backends: backends.map(\.description), reason: reason)
        let result: HookResult
        do {
            result = try await runner.run(
                hook.argv,
                input: try HookJSON.encode(request),
                timeout: .milliseconds(hook.timeout.milliseconds),
                directory: directory
            )
        } catch {
            return .failure(HookFailure("\(error)"))
        }
        if let failure = result.failure { return .failure(HookFailure(failure)) }
        if result.stdout.truncated {
            return .failure(HookFailure("its answer is larger than \(runner.outputLimit) bytes; answer {\"backends\": [...]} only"))
        }
        let answer: Answer
        do {
            answer = try JSONDecoder().decode(Answer.self, from: Data(result.stdout.bytes))
        } catch {
            return .failure(HookFailure("its answer is not {\"backends\": [\"host:port\", ...]}: \(result.stdout.logText.prefix(200))"))
        }
        var members: [BackendAddress] = []
        for text in answer.backends {
            do {
                let address = try BackendAddress(parsing: text)
                if !members.contains(address) { members.append(address) }
            } catch {
                return .failure(HookFailure("it answered an invalid address \(text.quotedForMessage): \(error)"))
            }
        }
        guard !members.isEmpty else { return .failure(HookFailure("it answered no backends; a pool is never emptied")) }
        return .success(members)
    }

    /// Runs a promote hook, before a failover switches traffic to standby backends (`pg_ctl
    /// promote` or `patronictl failover` behind it): stdin `{"pool", "promote": ["host:port", ...],
    /// "demote": [...], "reason"}`; exit 0 means promoted. Returns `nil` when it promoted, else
    /// why not (the control loop then blocks the switch).
    package func promote(pool: String, promote: [BackendAddress], demote: [BackendAddress], reason: String) async -> HookFailure? {
        struct Request: Encodable {
            var pool: String
            var promote: [String]
            var demote: [String]
            var reason: String
        }
        let request = Request(pool: pool, promote: promote.map(\.description), demote: demote.map(\.description), reason: reason)
        do {
            let result = try await runner.run(
                hook.argv,
                input: try HookJSON.encode(request),
                timeout: .milliseconds(hook.timeout.milliseconds),
                directory: directory
            )
            return result.failure.map(HookFailure.init)
        } catch {
            return HookFailure("\(error)")
        }
    }
}

/// Why a hook did not do its job, as shown in logs, the journal and the status API.
package struct HookFailure: Error, Sendable, Hashable, CustomStringConvertible {
    package var description: String

    package init(_ description: String) {
        self.description = description
    }
}

enum HookJSON {
    static func encode(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }
}
