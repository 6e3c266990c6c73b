import Foundation

/// The wall clock as the daemon's parts read it: whole milliseconds since the Unix epoch, the
/// unit of every stored timestamp. Pure code (the engine, the parser) never calls it; the
/// daemon's edges (scrapes, evaluations, queries without a time) do, and pass the value in.
package enum WallClock {
    package static func now() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }
}
