extension BackendAddress {
    /// Parses and validates `host:port`, the only way to make an address.
    ///
    /// Accepted hosts: an IPv4 dotted quad without leading zeros, an IPv6 literal in brackets
    /// (no zone), or an RFC 1123 host name of at most 253 characters whose last label is not
    /// numeric. The port is decimal 1–65535 without leading zeros. Anything else, including any
    /// character outside letters, digits and `.-:[]`, is rejected.
    package init(parsing text: String) throws(BackendAddressError) {
        guard !text.isEmpty else { throw .empty }
        if let bad = text.unicodeScalars.first(where: { !BackendAddress.isAllowed($0) }) {
            throw .forbiddenCharacter(bad)
        }
        let hostText: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw .invalidIPv6(String(text.dropFirst())) }
            hostText = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw .missingPort }
            portText = rest.dropFirst()
            let octets = try BackendAddress.parseIPv6(hostText)
            self.init(host: .ipv6(BackendAddress.canonicalIPv6(octets)), port: try BackendAddress.parsePort(portText))
            return
        }
        guard let colon = text.lastIndex(of: ":") else { throw .missingPort }
        hostText = text[..<colon]
        portText = text[text.index(after: colon)...]
        if hostText.contains(":") { throw .unbracketedIPv6 }
        if hostText.contains("[") || hostText.contains("]") { throw .invalidHostname(String(hostText), "brackets are only for IPv6 literals") }
        let port = try BackendAddress.parsePort(portText)
        self.init(host: try BackendAddress.parseHost(hostText), port: port)
    }

    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", ".", "-", ":", "[", "]": true
        default: false
        }
    }

    private static func parsePort(_ text: Substring) throws(BackendAddressError) -> UInt16 {
        guard !text.isEmpty else { throw .missingPort }
        guard text.count <= 5, text.allSatisfy(\.isASCIIDigit), !(text.count > 1 && text.hasPrefix("0")),
            let value = Int(text), (1...65535).contains(value)
        else { throw .invalidPort(String(text)) }
        return UInt16(value)
    }

    private static func parseHost(_ text: Substring) throws(BackendAddressError) -> Host {
        guard !text.isEmpty else { throw .invalidHostname("", "the host is empty") }
        if text.allSatisfy({ $0.isASCIIDigit || $0 == "." }) {
            guard let octets = parseIPv4(text) else { throw .invalidIPv4(String(text)) }
            return .ipv4(octets[0], octets[1], octets[2], octets[3])
        }
        return .hostname(try validateHostname(text))
    }

    /// Four decimal octets 0–255 without leading zeros (which some resolvers read as octal).
    static func parseIPv4(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var octets: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy(\.isASCIIDigit), !(part.count > 1 && part.hasPrefix("0")),
                let value = UInt8(part)
            else { return nil }
            octets.append(value)
        }
        return octets
    }

    private static func validateHostname(_ text: Substring) throws(BackendAddressError) -> String {
        let name = text.lowercased()
        guard name.utf8.count <= 253 else { throw .invalidHostname(name, "it is longer than 253 characters") }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        for label in labels {
            guard !label.isEmpty else { throw .invalidHostname(name, "it has an empty label") }
            guard label.utf8.count <= 63 else { throw .invalidHostname(name, "label \"\(label)\" is longer than 63 characters") }
            guard label.first != "-", label.last != "-" else {
                throw .invalidHostname(name, "label \"\(label)\" starts or ends with a hyphen")
            }
        }
        if let last = labels.last, last.allSatisfy(\.isASCIIDigit) {
            throw .invalidHostname(name, "its last label is numeric, so it reads as a malformed IPv4 address")
        }
        return name
    }

    /// The 16 octets of an IPv6 literal: up to eight hex groups, one `::`, an optional trailing
    /// dotted quad.
    static func parseIPv6(_ text: Substring) throws(BackendAddressError) -> [UInt8] {
        let fail = BackendAddressError.invalidIPv6(String(text))
        guard !text.isEmpty, text.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { throw fail }
        let halves = text.split(separator: "::", omittingEmptySubsequences: false).map(String.init)
        guard halves.count <= 2 else { throw fail }
        func groups(_ part: String, allowIPv4: Bool) throws(BackendAddressError) -> [UInt8] {
            guard !part.isEmpty else { return [] }
            var bytes: [UInt8] = []
            let fields = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, field) in fields.enumerated() {
                if field.contains(".") {
                    guard allowIPv4, index == fields.count - 1, let quad = parseIPv4(field) else { throw fail }
                    bytes += quad
                    continue
                }
                guard (1...4).contains(field.count), let value = UInt16(field, radix: 16) else { throw fail }
                bytes += [UInt8(value >> 8), UInt8(value & 0xff)]
            }
            return bytes
        }
        if halves.count == 1 {
            let bytes = try groups(halves[0], allowIPv4: true)
            guard bytes.count == 16 else { throw fail }
            return bytes
        }
        let head = try groups(halves[0], allowIPv4: false)
        let tail = try groups(halves[1], allowIPv4: true)
        guard head.count + tail.count <= 14 else { throw fail }
        return head + [UInt8](repeating: 0, count: 16 - head.count - tail.count) + tail
    }

    /// RFC 5952 text: lowercase hex without leading zeros, the longest run of two or more zero
    /// groups (the first on a tie) written `::`.
    static func canonicalIPv6(_ octets: [UInt8]) -> String {
        let groups = stride(from: 0, to: 16, by: 2).map { UInt16(octets[$0]) << 8 | UInt16(octets[$0 + 1]) }
        var best = (start: -1, length: 0)
        var index = 0
        while index < 8 {
            guard groups[index] == 0 else {
                index += 1
                continue
            }
            let start = index
            while index < 8, groups[index] == 0 { index += 1 }
            if index - start > best.length { best = (start, index - start) }
        }
        let hex = groups.map { String($0, radix: 16) }
        guard best.length >= 2 else { return hex.joined(separator: ":") }
        let head = hex[..<best.start].joined(separator: ":")
        let tail = hex[(best.start + best.length)...].joined(separator: ":")
        return head + "::" + tail
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
