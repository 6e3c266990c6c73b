import Foundation
import Policy
import TestSupport
import Testing

@testable import Apply

@Suite struct PoolHookTests {
    /// A scale hook that saves its stdin and prints `answer`.
    private func scaleHook(_ directory: TemporaryDirectory, answer: String) throws -> PoolHook {
        let answerFile = try directory.write("answer.json", answer)
        let script = try directory.write("scale.sh", "#!/bin/sh\ncat > \(directory.file("request.json"))\ncat \(answerFile)\n")
        chmod(script, 0o755)
        return PoolHook(hook: HookCommand(argv: ["./scale.sh"], timeout: .seconds(10)), directory: directory.path)
    }

    private func run(_ hook: PoolHook) async throws -> Result<[BackendAddress], HookFailure> {
        await hook.scale(pool: "web", from: 2, to: 3, backends: [try BackendAddress(parsing: "10.0.0.1:80")], reason: "cpu 0.9 > 0.6")
    }

    @Test func theScaleHookGetsTheRequestAndItsAnswerBecomesTheMembers() async throws {
        let directory = try TemporaryDirectory()
        let hook = try scaleHook(directory, answer: #"{"backends": ["10.0.0.1:80", "10.0.0.2:80", "10.0.0.2:80", "[2001:db8::3]:80"]}"#)
        let members = try await run(hook).get()
        #expect(members.map(\.description) == ["10.0.0.1:80", "10.0.0.2:80", "[2001:db8::3]:80"])
        let request = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory.file("request.json")))) as? [String: Any]
        )
        #expect(request["pool"] as? String == "web")
        #expect(request["from"] as? Int == 2)
        #expect(request["to"] as? Int == 3)
        #expect(request["backends"] as? [String] == ["10.0.0.1:80"])
        #expect(request["reason"] as? String == "cpu 0.9 > 0.6")
    }

    @Test(arguments: [
        (#"{"backends": ["1.2.3.4:80; include /etc/passwd"]}"#, "invalid address"),
        (#"{"backends": ["10.0.0.1:80\nserver evil:1"]}"#, "invalid address"),
        (#"{"backends": ["$(reboot):80"]}"#, "invalid address"),
        (#"{"backends": []}"#, "never emptied"),
        (#"{"members": ["10.0.0.1:80"]}"#, "is not {"),
        ("scaled!", "is not {"),
    ])
    func aHostileOrWrongAnswerFailsTheHook(answer: String, expected: String) async throws {
        let directory = try TemporaryDirectory()
        let result = try await run(try scaleHook(directory, answer: answer))
        guard case .failure(let failure) = result else {
            Issue.record("accepted \(answer)")
            return
        }
        #expect(failure.description.contains(expected), "\(failure)")
    }

    @Test func anOversizedAnswerFailsTheHook() async throws {
        let directory = try TemporaryDirectory()
        let script = try directory.write("scale.sh", "#!/bin/sh\nhead -c 10485760 /dev/zero\n")
        chmod(script, 0o755)
        let hook = PoolHook(hook: HookCommand(argv: [script]), directory: nil)
        guard case .failure(let failure) = try await run(hook) else {
            Issue.record("a 10 MB answer was accepted")
            return
        }
        #expect(failure.description.contains("larger than"))
    }

    @Test func thePromoteHookSucceedsOnlyWithExitZero() async throws {
        let directory = try TemporaryDirectory()
        let ok = try directory.write("ok.sh", "#!/bin/sh\ncat > \(directory.file("promote.json"))\n")
        let failing = try directory.write("fail.sh", "#!/bin/sh\necho 'replica lagging' >&2\nexit 1\n")
        chmod(ok, 0o755)
        chmod(failing, 0o755)
        let standby = try BackendAddress(parsing: "10.0.0.9:5432")
        let primary = try BackendAddress(parsing: "10.0.0.1:5432")
        let promoted = await PoolHook(hook: HookCommand(argv: [ok]), directory: nil)
            .promote(pool: "db", promote: [standby], demote: [primary], reason: "primary down")
        #expect(promoted == nil)
        let request = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory.file("promote.json")))) as? [String: Any]
        )
        #expect(request["promote"] as? [String] == ["10.0.0.9:5432"])
        #expect(request["demote"] as? [String] == ["10.0.0.1:5432"])
        let refused = await PoolHook(hook: HookCommand(argv: [failing]), directory: nil)
            .promote(pool: "db", promote: [standby], demote: [primary], reason: "primary down")
        #expect(refused?.description == "exit status 1: replica lagging\\n")
    }
}
