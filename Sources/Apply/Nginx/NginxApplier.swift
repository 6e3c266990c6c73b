package import Logging
package import Policy

/// Applies a pool's routing to nginx open source, where upstreams change only by rewriting the
/// configuration and reloading.
///
/// Each change: render the `upstream` block; skip everything when the text is what nginx already
/// runs; wait (coalescing later changes) while the last reload is younger than
/// `min_reload_interval`, unless a backend leaves or joins rotation; write the new file
/// atomically; run the test command; reload. The test command checks the user's whole
/// configuration, which includes the file by its path, so the new text must be at that path when
/// it runs: if the test fails, the previous file is put back at once (atomically), and since
/// nothing reloaded in between, the running nginx never saw the bad file. If the reload fails the
/// previous file is restored and nginx reloaded onto it. Either failure is thrown, so the control
/// loop keeps the last good routing as applied, reports it and retries.
package actor NginxApplier: Applier {
    package nonisolated let name = "nginx"
    private let settings: NginxApply
    private let upstream: NginxUpstream
    /// The file's path, relative paths resolved against the policy file's directory.
    private let path: String
    private let directory: String?
    private let runner: HookRunner
    private let logger: Logger
    /// The text nginx was last reloaded with, and the routing it carries.
    private var running: (text: String, routing: [BackendRouting])?
    private var lastReload: ContinuousClock.Instant?
    private var lastReloadWallMilliseconds: Int64 = 0
    private let clock: @Sendable () -> Int64

    /// `directory` is the policy file's, for relative paths; `clock` gives wall time in ms.
    package init(
        policy: PoolPolicy,
        settings: NginxApply,
        directory: String?,
        logger: Logger,
        runner: HookRunner = HookRunner(),
        clock: @escaping @Sendable () -> Int64
    ) {
        self.settings = settings
        self.upstream = NginxUpstream(policy: policy, nginx: settings)
        self.directory = directory
        self.path = Appliers.resolve(settings.file, against: directory)
        self.runner = runner
        self.logger = logger
        self.clock = clock
    }

    package func apply(_ change: RoutingChange) async throws -> ApplyOutcome {
        guard !change.routing.isEmpty else { throw NginxApplyError.noBackends(pool: change.pool) }
        let text = upstream.render(change.routing, template: try template())
        if let running, running.text == text { return .carried }
        if let running, let lastReload, !NginxUpstream.changesRotation(from: running.routing, to: change.routing) {
            let interval = Duration.milliseconds(settings.minReloadInterval.milliseconds)
            if ContinuousClock.now - lastReload < interval {
                return .deferred(untilMilliseconds: lastReloadWallMilliseconds + settings.minReloadInterval.milliseconds)
            }
        }
        let previous = try AtomicFile.read(path)
        if running == nil, let previous, previous == Array(text.utf8) {
            // At start: the file already holds this routing; nginx loaded it or will.
            running = (text, change.routing)
            return .carried
        }
        // Pools usually share one nginx: one pool's write, test, reload and restore must not
        // interleave with another's, or a reload could load a file that was never tested.
        await NginxChanges.shared.acquire()
        do {
            try await replace(with: text, previous: previous)
            await NginxChanges.shared.release()
        } catch {
            await NginxChanges.shared.release()
            throw error
        }
        running = (text, change.routing)
        lastReload = ContinuousClock.now
        lastReloadWallMilliseconds = clock()
        logger.info("nginx reloaded", metadata: ["pool": "\(change.pool)", "file": "\(path)"])
        return .carried
    }

    package func plan(_ change: RoutingChange) async throws -> String {
        guard !change.routing.isEmpty else { throw NginxApplyError.noBackends(pool: change.pool) }
        let text = upstream.render(change.routing, template: try template())
        let current = try AtomicFile.read(path).map { String(decoding: $0, as: UTF8.self) } ?? ""
        guard current != text else { return "\(path): unchanged; no reload" }
        return LineDiff.unified(old: current, new: text, path: path)
            + "then: \(settings.test.joined(separator: " ")) && \(settings.reload.joined(separator: " "))\n"
    }

    /// The whole routing is rendered at every change: nothing to learn.
    package func remember(_ routing: [BackendRouting]) async {}

    /// Writes `text`, tests, reloads; puts `previous` back if either fails.
    private func replace(with text: String, previous: [UInt8]?) async throws {
        try AtomicFile.write(Array(text.utf8), to: path)
        if let failure = await run(settings.test, what: "test") {
            try AtomicFile.restore(previous, to: path)
            throw NginxApplyError.testFailed(command: settings.test, detail: failure)
        }
        if let failure = await run(settings.reload, what: "reload") {
            try AtomicFile.restore(previous, to: path)
            let recovery = await run(settings.reload, what: "reload")
            throw NginxApplyError.reloadFailed(command: settings.reload, detail: failure, restoredReload: recovery)
        }
    }

    /// The user's template, read at each apply (so an edit is picked up); it must place the
    /// servers.
    private func template() throws -> String? {
        guard let file = settings.template else { return nil }
        let path = Appliers.resolve(file, against: directory)
        guard let bytes = try AtomicFile.read(path) else { throw NginxApplyError.badTemplate(path: path, reason: "it does not exist") }
        let text = String(decoding: bytes, as: UTF8.self)
        guard NginxUpstream.fill(text, ["servers": "\u{0}"]).contains("\u{0}") else {
            throw NginxApplyError.badTemplate(path: path, reason: "it has no {{servers}} placeholder")
        }
        return text
    }

    /// Runs a test or reload command; returns why it failed (including that it could not start),
    /// or `nil`.
    private func run(_ argv: [String], what: String) async -> String? {
        let failure: String?
        do {
            failure = try await runner.run(argv, input: [], timeout: .milliseconds(settings.commandTimeout.milliseconds), directory: directory)
                .failure
        } catch {
            failure = "\(error)"
        }
        if let failure { logger.error("nginx \(what) failed", metadata: ["command": "\(argv)", "failure": "\(failure)"]) }
        return failure
    }
}

/// Why nginx does not carry a change.
package enum NginxApplyError: Error, Sendable, CustomStringConvertible {
    case noBackends(pool: String)
    case badTemplate(path: String, reason: String)
    case testFailed(command: [String], detail: String)
    case reloadFailed(command: [String], detail: String, restoredReload: String?)

    package var description: String {
        switch self {
        case .noBackends(let pool):
            "pool \(pool) has no backends to route to; the previous upstream file stays"
        case .badTemplate(let path, let reason):
            "the upstream template \(path) cannot be used: \(reason); it needs {{servers}} (and may use {{upstream}}, {{pool}}, {{balance}})"
        case .testFailed(let command, let detail):
            "\(command.joined(separator: " ")) refused the new upstream (\(detail)); the previous file was restored and nginx was not reloaded"
        case .reloadFailed(let command, let detail, let recovery):
            "\(command.joined(separator: " ")) failed (\(detail)); the previous file was restored"
                + (recovery.map { " and reloading onto it also failed (\($0))" } ?? " and nginx reloaded onto it")
        }
    }
}
