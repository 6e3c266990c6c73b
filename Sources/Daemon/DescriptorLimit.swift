#if canImport(Glibc)
import Glibc
#endif

/// The process' limit on open file descriptors. Every scrape connection, API connection, SQLite
/// reader and reloaded file needs one, and running out is worse than failing a request: the
/// toolchain's libdispatch aborts the process when it cannot open `/proc/<tid>/stat` for its
/// worker monitor (`_dispatch_workq_count_runnable_workers`), which a full descriptor table
/// makes happen within a second. So the daemon raises its soft limit to the hard one at start,
/// as the Go runtime does for Prometheus, and sizes its connection pools from what it got.
package enum DescriptorLimit {
    /// The soft limit before and after `raiseToHardLimit`.
    package struct Change: Sendable, Equatable {
        package var before: UInt64
        package var after: UInt64
    }

    /// Raises the soft limit to the hard limit; nil when the limits cannot be read.
    package static func raiseToHardLimit() -> Change? {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return nil }
        let before = UInt64(limit.rlim_cur)
        guard limit.rlim_cur < limit.rlim_max else { return Change(before: before, after: before) }
        var raised = limit
        raised.rlim_cur = limit.rlim_max
        guard setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 else { return Change(before: before, after: before) }
        return Change(before: before, after: UInt64(raised.rlim_cur))
    }

    /// How the daemon shares its descriptors: libcurl's connections, the HTTP server's, and a
    /// reserve for the rest (about 24 in use at rest; SQLite readers take 3 each, hooks their
    /// pipes, policy reloads their files, libdispatch one per worker it checks).
    package struct Budget: Sendable, Equatable {
        package var scrapeConnections: Int
        package var apiConnections: Int
    }

    /// The reserve kept out of the connection pools.
    package static let reserve: UInt64 = 96

    /// The budget under a limit of `limit` descriptors: half of what the reserve leaves for
    /// scrapes, a quarter for API clients, at least one each (a daemon that scrapes slowly beats
    /// one that aborts).
    package static func budget(limit: UInt64) -> Budget {
        let spare = limit > reserve ? limit - reserve : 0
        return Budget(scrapeConnections: Int(max(1, min(spare / 2, 50_000))), apiConnections: Int(max(1, min(spare / 4, 10_000))))
    }
}
