/// How the proxy picks a backend for each request, rendered for each proxy in its own words
/// (nginx `least_conn`, HAProxy `leastconn`, ...). Weights apply to every algorithm but `ip_hash`
/// and `hash`, where they shift the share of the hash space a backend owns.
package enum BalanceAlgorithm: String, Sendable, Hashable, CaseIterable {
    /// Weighted round robin: nginx's default, HAProxy `roundrobin`.
    case roundRobin = "round_robin"
    /// The backend with the fewest active connections relative to its weight.
    case leastConn = "least_conn"
    /// The client's address picks the backend (nginx `ip_hash`, HAProxy `source`).
    case ipHash = "ip_hash"
    /// A key such as `$remote_addr` or `$cookie_session` picks the backend (``HashBalance``).
    case hash
    /// Power of two choices: two random backends, the less loaded wins (nginx `random two
    /// least_conn`, HAProxy `random(2)`).
    case randomTwo = "random_two"

    /// Whether a proxy can keep `backup` servers beside this algorithm: nginx refuses `backup`
    /// with `hash`, `ip_hash` and `random`.
    package var allowsBackupServers: Bool {
        switch self {
        case .roundRobin, .leastConn: true
        case .ipHash, .hash, .randomTwo: false
        }
    }
}

extension BalanceAlgorithm {
    /// The algorithm as HAProxy backend directives (`balance leastconn`; a hash key mapped to
    /// HAProxy's fetch: `$remote_addr` → `source`, `$request_uri`/`$uri` → `uri`,
    /// `$http_NAME` → `hdr(NAME)`, `$arg_NAME` → `url_param NAME`, plus `hash-type consistent`);
    /// `nil` for a hash key HAProxy has no equivalent of.
    package func haproxyDirectives(hash: HashBalance?) -> [String]? {
        switch self {
        case .roundRobin: return ["balance roundrobin"]
        case .leastConn: return ["balance leastconn"]
        case .ipHash: return ["balance source"]
        case .randomTwo: return ["balance random(2)"]
        case .hash:
            guard let hash else { return nil }
            let fetch: String
            switch hash.key {
            case "$remote_addr", "$binary_remote_addr": fetch = "source"
            case "$request_uri", "$uri": fetch = "uri"
            default:
                if let name = Self.suffix(of: hash.key, after: "$http_") {
                    fetch = "hdr(\(name.replacing("_", with: "-")))"
                } else if let name = Self.suffix(of: hash.key, after: "$arg_") {
                    fetch = "url_param \(name)"
                } else {
                    return nil
                }
            }
            return ["balance \(fetch)"] + (hash.consistent ? ["hash-type consistent"] : [])
        }
    }

    /// The rest of `key` after `prefix` when it is a plain name (letters, digits, `_`).
    private static func suffix(of key: String, after prefix: String) -> String? {
        guard key.hasPrefix(prefix) else { return nil }
        let name = key.dropFirst(prefix.count)
        guard !name.isEmpty,
            name.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" })
        else { return nil }
        return String(name)
    }
}

/// The key of `balance: hash`, and whether the hash is consistent (ketama), so adding or removing
/// a backend moves only its share of keys.
package struct HashBalance: Sendable, Hashable {
    /// An nginx variable expression such as `$remote_addr`, `$request_uri` or `$cookie_session`.
    package var key: String
    /// Consistent hashing (nginx `consistent`, HAProxy `hash-type consistent`).
    package var consistent: Bool

    /// Creates a hash key; not consistent by default, as in both proxies.
    package init(key: String, consistent: Bool = false) {
        self.key = key
        self.consistent = consistent
    }
}
