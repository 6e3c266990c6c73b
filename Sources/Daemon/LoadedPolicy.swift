package import Foundation
import InputFiles
package import Policy
package import PolicyLoading

/// A policy with the file it came from: relative paths in it (file_sd, hooks) are resolved
/// against that file's directory.
package struct LoadedPolicy: Sendable, Hashable {
    package var path: String
    package var policy: PoolPolicy
    /// When the file was last modified, to notice edits.
    package var modified: Date

    package init(path: String, policy: PoolPolicy, modified: Date) {
        self.path = path
        self.policy = policy
        self.modified = modified
    }

    /// `relative` resolved against the policy file's directory (absolute paths stay).
    package func resolve(_ relative: String) -> String {
        relative.hasPrefix("/") ? relative : URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(relative).standardized.path
    }
}

/// Every policy of the daemon, loaded from files and directories, with the rules that span
/// policies: pool names are unique, a backend address belongs to one pool only (so its series,
/// `instance` labels and proxy entries never mix two pools), and so does an nginx upstream file,
/// a HAProxy backend or fragment.
package struct PolicySet: Sendable, Hashable {
    package var policies: [LoadedPolicy] = []

    package init(policies: [LoadedPolicy] = []) {
        self.policies = policies
    }

    /// The policy files named by `sources`: files as given, directories' `*.yaml`/`*.yml` sorted.
    package static func files(in sources: [String]) throws(PolicySetError) -> [String] {
        var files: [String] = []
        for source in sources {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory) else {
                throw PolicySetError(messages: ["\(source):1:1: no such file or directory"])
            }
            if isDirectory.boolValue {
                let entries = (try? FileManager.default.contentsOfDirectory(atPath: source)) ?? []
                let base = source.hasSuffix("/") && source.count > 1 ? String(source.dropLast()) : source
                let found = entries.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { base + "/" + $0 }
                guard !found.isEmpty else {
                    throw PolicySetError(messages: ["\(source):1:1: no *.yaml or *.yml policy files in the directory; add one or name the files"])
                }
                files += found
            } else {
                files.append(source)
            }
        }
        return files
    }

    /// Loads every file; a file that fails keeps its entry from `previous` (if it had one), and
    /// the problems are returned with the set so the caller logs and counts them.
    package static func load(
        _ sources: [String],
        loader: PolicyLoader,
        previous: PolicySet = PolicySet()
    ) -> (PolicySet, [String]) {
        let files: [String]
        do {
            files = try Self.files(in: sources)
        } catch {
            return (previous, error.messages)
        }
        var set = PolicySet()
        var problems: [String] = []
        for file in files {
            let modified = (try? FileManager.default.attributesOfItem(atPath: file)[.modificationDate] as? Date) ?? .distantPast
            do {
                let text = try InputFile.text(file)
                set.policies.append(LoadedPolicy(path: file, policy: try loader.load(yaml: text, path: file), modified: modified))
            } catch let error as PolicyLoadError {
                problems += error.diagnostics.map(\.description)
                if let kept = previous.policies.first(where: { $0.path == file }) { set.policies.append(kept) }
            } catch {
                problems.append("\(error)")
                if let kept = previous.policies.first(where: { $0.path == file }) { set.policies.append(kept) }
            }
        }
        let conflicts = set.conflicts()
        if !conflicts.isEmpty { return (previous, problems + conflicts) }
        return (set, problems)
    }

    /// Pool names used twice, and addresses in two pools.
    package func conflicts() -> [String] {
        var problems: [String] = []
        var pools: [String: String] = [:]
        var owners: [BackendAddress: String] = [:]
        var targets: [String: String] = [:]
        for loaded in policies {
            // Two pools writing one upstream file or one HAProxy backend would overwrite each other.
            var claimed: [String] = []
            if let nginx = loaded.policy.apply.nginx { claimed.append("nginx file \(loaded.resolve(nginx.file))") }
            if let haproxy = loaded.policy.apply.haproxy {
                let endpoint =
                    switch haproxy.endpoint {
                    case .socket(let path): loaded.resolve(path)
                    case .address(let address): address.description
                    }
                claimed.append("HAProxy backend \(haproxy.backend) at \(endpoint)")
                if let fragment = haproxy.fragment { claimed.append("HAProxy fragment \(loaded.resolve(fragment))") }
            }
            for target in claimed {
                if let owner = targets[target], owner != loaded.policy.pool {
                    problems.append("\(loaded.path):1:1: the \(target) is also applied by pool \(owner); each pool needs its own")
                }
                targets[target] = loaded.policy.pool
            }
            if let other = pools[loaded.policy.pool] {
                problems.append("\(loaded.path):1:1: pool \(loaded.policy.pool) is also defined in \(other); pool names must be unique")
            }
            pools[loaded.policy.pool] = loaded.path
            for address in loaded.policy.backends.staticAddresses + (loaded.policy.failover?.standby ?? []) {
                if let owner = owners[address], owner != loaded.policy.pool {
                    problems.append("\(loaded.path):1:1: backend \(address) is also in pool \(owner); an address belongs to one pool only")
                }
                owners[address] = loaded.policy.pool
            }
        }
        return problems
    }
}

/// Why policies could not be loaded.
package struct PolicySetError: Error {
    package var messages: [String]
}
