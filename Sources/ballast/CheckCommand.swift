import ArgumentParser
import Daemon
import Foundation
import InputFiles
import Policy
import PolicyLoading
import Query

/// `ballast check POLICY...`: validates policy files and prints every problem as
/// `PATH:LINE:COL: message`, so a policy can be checked in CI before the daemon loads it.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate policy files; print every error as PATH:LINE:COL: message.",
        discussion: "Exits 0 when every file is valid, 1 otherwise. Signal expressions are parsed as PromQL."
    )

    @Flag(name: .customLong("print-schema"), help: "Print the policy file's JSON Schema (draft 2020-12) for editors, then exit.")
    var printSchema = false

    @Argument(help: "Policy files to validate; a directory stands for its *.yaml and *.yml files.")
    var policies: [String] = []

    func validate() throws {
        if !printSchema && policies.isEmpty {
            throw ValidationError("Give at least one policy file, or --print-schema.")
        }
    }

    func run() throws {
        if printSchema {
            print(PolicyJSONSchema.text)
            return
        }
        let loader = PolicyLoader(validateExpression: PromQLValidation.problem)
        var allValid = true
        // Each file is read once (a FIFO or /dev/stdin cannot be read twice); the checks that
        // span files run on what was loaded.
        var loaded = PolicySet()
        for source in policies {
            let files: [String]
            do {
                files = try PolicySet.files(in: [source])
            } catch {
                allValid = false
                FileHandle.standardError.writeQuietly(Data(error.messages.map { $0 + "\n" }.joined().utf8))
                continue
            }
            for path in files {
                switch CheckCommand.check(path, with: loader) {
                case .success(let policy):
                    print("\(path): ok")
                    loaded.policies.append(LoadedPolicy(path: path, policy: policy, modified: .distantPast))
                case .failure(let lines):
                    allValid = false
                    FileHandle.standardError.writeQuietly(Data(lines.lines.map { $0 + "\n" }.joined().utf8))
                }
            }
        }
        // What spans files (pool names, backends, proxy files claimed twice), as `run` checks it.
        if allValid {
            let problems = loaded.conflicts()
            if !problems.isEmpty {
                allValid = false
                FileHandle.standardError.writeQuietly(Data(problems.map { $0 + "\n" }.joined().utf8))
            }
        }
        if !allValid { throw ExitCode(1) }
    }

    /// The policy in one file, or its diagnostics (an unreadable file is one diagnostic).
    private static func check(_ path: String, with loader: PolicyLoader) -> Result<PoolPolicy, Diagnostics> {
        let text: String
        do {
            text = try InputFile.text(path)
        } catch {
            return .failure(Diagnostics(lines: [error.description]))
        }
        do {
            return .success(try loader.load(yaml: text, path: path))
        } catch {
            return .failure(Diagnostics(lines: error.diagnostics.map(\.description)))
        }
    }

    /// A file's problems, one `PATH:LINE:COL: message` line each.
    struct Diagnostics: Error {
        var lines: [String]
    }
}
