/// A peer process (Prometheus, promtool, the scrape target) that failed, with what it said.
public struct PeerError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }

    public init(message: String) { self.message = message }
}
