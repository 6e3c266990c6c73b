import Foundation
import TestSupport
import Testing

@testable import Apply

@Suite struct HookRunnerTests {
    private func script(_ directory: TemporaryDirectory, _ name: String, _ body: String) throws -> String {
        let path = try directory.write(name, "#!/bin/sh\n" + body)
        chmod(path, 0o755)
        return path
    }

    @Test func theCommandReadsTheDocumentOnStdinAndItsOutputIsCaptured() async throws {
        let directory = try TemporaryDirectory()
        let hook = try script(directory, "echo.sh", "cat\necho done >&2\n")
        let result = try await HookRunner().run([hook], input: Array(#"{"pool":"web"}"#.utf8), timeout: .seconds(10))
        #expect(result.succeeded)
        #expect(String(decoding: result.stdout.bytes, as: UTF8.self) == #"{"pool":"web"}"#)
        #expect(result.stderr.logText == "done\\n")
    }

    @Test func aNonZeroExitIsAFailureWithItsStatusAndStderr() async throws {
        let directory = try TemporaryDirectory()
        let hook = try script(directory, "fail.sh", "echo 'no capacity' >&2\nexit 3\n")
        let result = try await HookRunner().run([hook], input: [], timeout: .seconds(10))
        #expect(!result.succeeded)
        #expect(result.status == .exited(3))
        #expect(result.failure == "exit status 3: no capacity\\n")
    }

    @Test func aHangingHookAndWhatItStartedAreKilledAtTheTimeout() async throws {
        let directory = try TemporaryDirectory()
        let pidFile = directory.file("child.pid")
        // The hook starts a child that ignores nothing and would outlive a SIGTERM to the hook alone.
        let hook = try script(directory, "hang.sh", "sleep 300 &\necho $! > \(pidFile)\nwait\n")
        let result = try await HookRunner(gracePeriod: .milliseconds(200)).run([hook], input: [], timeout: .milliseconds(300))
        #expect(result.timedOut)
        #expect(!result.succeeded)
        #expect(result.failure?.hasPrefix("did not finish within its 300ms timeout") == true)
        let child = try #require(Int32(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        var gone = false
        for _ in 0..<100 where !gone {
            gone = kill(child, 0) != 0
            if !gone { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(gone, "the hook's child \(child) survived the timeout")
    }

    @Test func aHookThatClosesItsOutputAndKeepsRunningIsStoppedAtTheTimeout() async throws {
        let directory = try TemporaryDirectory()
        let hook = try script(directory, "closer.sh", "exec >&- 2>&-\nexec sleep 300\n")
        let result = try await HookRunner(gracePeriod: .milliseconds(200)).run([hook], input: [], timeout: .milliseconds(300))
        #expect(result.timedOut)
        #expect(!result.succeeded)
    }

    @Test func aDescendantThatLeavesTheGroupWithThePipesDoesNotHoldTheRunnerPastTheTimeout() async throws {
        let directory = try TemporaryDirectory()
        let pidFile = directory.file("escaped.pid")
        let hook = try script(directory, "escape.sh", "setsid sh -c 'echo $$ > \(pidFile); exec sleep 300' &\nsleep 300\n")
        let result = try await HookRunner(gracePeriod: .milliseconds(200)).run([hook], input: [], timeout: .milliseconds(300))
        #expect(result.timedOut)
        if let pid = Int32((try? String(contentsOfFile: pidFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") {
            kill(pid, SIGKILL)
        }
    }

    @Test func aHookThatIgnoresSIGTERMIsKilled() async throws {
        let directory = try TemporaryDirectory()
        let hook = try script(directory, "stubborn.sh", "trap '' TERM\nwhile true; do sleep 0.05; done\n")
        let result = try await HookRunner(gracePeriod: .milliseconds(200)).run([hook], input: [], timeout: .milliseconds(200))
        #expect(result.timedOut)
        #expect(result.status == .signaled(SIGKILL))
    }

    @Test func hugeOutputIsTruncatedWithoutBlockingTheHook() async throws {
        let directory = try TemporaryDirectory()
        let hook = try script(directory, "chatty.sh", "head -c 10485760 /dev/zero | tr '\\\\0' x\nhead -c 10485760 /dev/zero >&2\n")
        let result = try await HookRunner(outputLimit: 1000).run([hook], input: [], timeout: .seconds(30))
        #expect(result.succeeded)
        #expect(result.stdout.bytes.count == 1000)
        #expect(result.stdout.truncated)
        #expect(result.stderr.truncated)
    }

    @Test func argumentsAreNeverInterpretedByAShell() async throws {
        let directory = try TemporaryDirectory()
        let marker = directory.file("pwned")
        let hostile = ["$(touch \(marker))", "`touch \(marker)`", "; touch \(marker)", "a\nb"]
        let result = try await HookRunner().run(["/usr/bin/printf", "%s|"] + hostile, input: [], timeout: .seconds(10))
        #expect(String(decoding: result.stdout.bytes, as: UTF8.self) == hostile.map { $0 + "|" }.joined())
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test func aRelativeProgramIsFoundNextToThePolicy() async throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.file("hooks"), withIntermediateDirectories: true)
        _ = try script(directory, "hooks/ok.sh", "pwd\n")
        let result = try await HookRunner().run(["./hooks/ok.sh"], input: [], timeout: .seconds(10), directory: directory.path)
        #expect(result.succeeded)
        let printed = String(decoding: result.stdout.bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(URL(fileURLWithPath: printed).resolvingSymlinksInPath() == URL(fileURLWithPath: directory.path).resolvingSymlinksInPath())
    }

    @Test func aHookThatNeverReadsStdinStillFinishes() async throws {
        let small = try await HookRunner().run(["/bin/false"], input: Array("{}".utf8), timeout: .seconds(20))
        #expect(small.status == .exited(1))
        #expect(!small.timedOut)
        let large = try await HookRunner().run(["/bin/true"], input: [UInt8](repeating: 0x20, count: 1 << 20), timeout: .seconds(20))
        #expect(large.status == .exited(0))
        #expect(!large.timedOut)
    }

    @Test func aMissingProgramCannotStart() async throws {
        await #expect(throws: HookError.self) {
            _ = try await HookRunner().run(["/nonexistent/hook"], input: [], timeout: .seconds(5))
        }
    }
}
