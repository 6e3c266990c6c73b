import ArgumentParser
import Foundation
import InputFiles
import Policy
import PolicyLoading

/// Reading one policy file for a command (`apply`, `replay`, `tune`): every problem printed as
/// `PATH:LINE:COL: message` on standard error and exit 1, as `check` would report it.
enum PolicyFile {
    static func load(_ path: String, overrides: [PolicyOverride] = []) throws -> PoolPolicy {
        let text: String
        do {
            text = try InputFile.text(path)
        } catch {
            FileHandle.standardError.writeQuietly(Data("\(error)\n".utf8))
            throw ExitCode(1)
        }
        do {
            return try PolicyLoader(validateExpression: PromQLValidation.problem).load(yaml: text, path: path, overrides: overrides)
        } catch {
            FileHandle.standardError.writeQuietly(Data(error.diagnostics.map { "\($0)\n" }.joined().utf8))
            throw ExitCode(1)
        }
    }
}
