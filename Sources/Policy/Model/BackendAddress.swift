/// A validated `host:port` of a backend.
///
/// Addresses end up in proxy configuration files, Runtime API commands and hook arguments, so an
/// instance of this type can only be made by ``init(parsing:)``, which accepts nothing but an IPv4
/// dotted quad, a bracketed IPv6 literal or an RFC 1123 host name, and a port in 1–65535.
package struct BackendAddress: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The host part, already validated.
    package let host: Host
    /// The TCP port, 1–65535.
    package let port: UInt16

    /// The kinds of host a backend may be reached at.
    package enum Host: Sendable, Hashable {
        /// An IPv4 address as four octets.
        case ipv4(UInt8, UInt8, UInt8, UInt8)
        /// An IPv6 address in its canonical (RFC 5952) lowercase text form, without brackets.
        case ipv6(String)
        /// A DNS host name, lowercased, without a trailing dot.
        case hostname(String)
    }

    init(host: Host, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// The host as it is written inside a `host:port` pair (IPv6 in brackets).
    package var hostText: String {
        switch host {
        case .ipv4(let a, let b, let c, let d): "\(a).\(b).\(c).\(d)"
        case .ipv6(let text): "[\(text)]"
        case .hostname(let name): name
        }
    }

    /// The canonical `host:port` text, safe to embed in proxy configurations and arguments.
    package var description: String { "\(hostText):\(port)" }

    /// One combine for the common IPv4 case instead of one per octet: the engine and replay hash
    /// addresses in every evaluation.
    package func hash(into hasher: inout Hasher) {
        switch host {
        case .ipv4(let a, let b, let c, let d):
            hasher.combine(UInt64(a) << 40 | UInt64(b) << 32 | UInt64(c) << 24 | UInt64(d) << 16 | UInt64(port))
        case .ipv6(let text):
            hasher.combine(text)
            hasher.combine(port)
        case .hostname(let name):
            hasher.combine(name)
            hasher.combine(port)
        }
    }

    package static func < (lhs: BackendAddress, rhs: BackendAddress) -> Bool {
        lhs.description < rhs.description
    }
}
