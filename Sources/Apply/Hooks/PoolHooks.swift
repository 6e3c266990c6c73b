import Foundation
package import Policy

/// The scale hook: Ballast decides how many replicas a pool needs, the hook makes it so (starts
/// or stops instances, calls a cloud API) and answers the pool's members afterwards.
///
/// Protocol (`docs/schemas/scale-hook.*.schema.json`): stdin
/// `{"pool", "from", "to", "backends": ["host:port", ...], "reason"}`; exit 0 and stdout
/// `{"backends": ["host:port", ...]}`. Every answered address is validated like any other (an
/// invalid one fails the hook, so nothing a hook prints reaches a proxy unchecked), and an empty
/// answer is refused: a pool is never emptied.
package struct ScaleHook: Sendable {
    package var hook: HookCommand
    package var directory: String?
    package var runner: HookRunner

    package init(hook: HookCommand, directory: String?, runner: HookRunner = HookRunner()) {
        self.hook = hook
        self.directory = directory
        self.runner = runner
    }

    /// Runs the hook; the members it answered, or why it failed.
    package func run(pool: String, from: Int, to: Int, backends: [BackendAddress], reason: String) async -> Result<[BackendAddress], HookFailure> {
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
}

/// The promote hook: run before a failover switches traffic to standby backends (e.g. `pg_ctl
/// promote` or `patronictl failover` behind it). Protocol: stdin
/// `{"pool", "promote": ["host:port", ...], "demote": ["host:port", ...], "reason"}`; exit 0 means
/// promoted. A failure blocks the switch: the engine decides again with those standbys refused,
/// and the refusal is journaled with the hook's reason.
package struct PromoteHook: Sendable {
    package var hook: HookCommand
    package var directory: String?
    package var runner: HookRunner

    package init(hook: HookCommand, directory: String?, runner: HookRunner = HookRunner()) {
        self.hook = hook
        self.directory = directory
        self.runner = runner
    }

    /// Runs the hook; `nil` when it promoted, else why not.
    package func run(pool: String, promote: [BackendAddress], demote: [BackendAddress], reason: String) async -> HookFailure? {
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
