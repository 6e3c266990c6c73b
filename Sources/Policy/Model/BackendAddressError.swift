/// Why a backend address was rejected; the message says what a valid one looks like.
package enum BackendAddressError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Nothing was given.
    case empty
    /// A character that can never appear in `host:port`, such as `;`, `{`, a quote or whitespace.
    case forbiddenCharacter(Unicode.Scalar)
    /// No `:port` follows the host.
    case missingPort
    /// The port is not a decimal 1–65535.
    case invalidPort(String)
    /// An IPv6 literal written without brackets.
    case unbracketedIPv6
    /// A dotted-numeric host that is not a valid dotted quad.
    case invalidIPv4(String)
    /// A bracketed host that is not a valid IPv6 literal.
    case invalidIPv6(String)
    /// A host name breaking RFC 1123, with the reason.
    case invalidHostname(String, String)

    package var description: String {
        switch self {
        case .empty:
            "empty address; write host:port, e.g. 10.0.0.5:8080"
        case .forbiddenCharacter(let scalar):
            "character \(BackendAddressError.describe(scalar)) is not allowed in an address; write host:port with an IPv4 address, "
                + "a bracketed IPv6 address or a DNS name"
        case .missingPort:
            "missing port; write host:port, e.g. 10.0.0.5:8080 or [::1]:8080"
        case .invalidPort(let port):
            "invalid port \"\(port)\"; a port is a decimal number from 1 to 65535 without leading zeros"
        case .unbracketedIPv6:
            "an IPv6 address must be written in brackets, e.g. [2001:db8::1]:8080"
        case .invalidIPv4(let host):
            "invalid IPv4 address \"\(host)\"; write four decimal octets 0-255 without leading zeros"
        case .invalidIPv6(let host):
            "invalid IPv6 address \"\(host)\"; write e.g. [2001:db8::1]:8080 (zones are not supported)"
        case .invalidHostname(let host, let reason):
            "invalid host name \"\(host)\": \(reason)"
        }
    }

    private static func describe(_ scalar: Unicode.Scalar) -> String {
        if scalar.properties.isWhitespace || scalar.value < 0x20 || scalar.value == 0x7f {
            return "U+" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)
        }
        return "'\(scalar)'"
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: Swift.max(0, width - count)) + self
    }
}
