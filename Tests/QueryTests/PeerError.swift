/// A peer process (Prometheus, promtool, the scrape target) that failed, with what it said.
struct PeerError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
