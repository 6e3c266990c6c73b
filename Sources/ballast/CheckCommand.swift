import ArgumentParser
import Daemon
import Foundation
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
                let lines = CheckCommand.check(path, with: loader)
                if lines.isEmpty {
                    print("\(path): ok")
                } else {
                    allValid = false
                    FileHandle.standardError.writeQuietly(Data(lines.map { $0 + "\n" }.joined().utf8))
                }
            }
        }
        // What spans files (pool names, backends, proxy files claimed twice), as `run` checks it.
        if allValid {
            let (_, problems) = PolicySet.load(policies, loader: loader)
            if !problems.isEmpty {
                allValid = false
                FileHandle.standardError.writeQuietly(Data(problems.map { $0 + "\n" }.joined().utf8))
            }
        }
        if !allValid { throw ExitCode(1) }
    }

    /// The diagnostics for one file; an unreadable file is one diagnostic at its start.
    private static func check(_ path: String, with loader: PolicyLoader) -> [String] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            return ["\(path):1:1: cannot read the file as UTF-8 text: \(error.localizedDescription)"]
        }
        do {
            _ = try loader.load(yaml: text, path: path)
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }
}
