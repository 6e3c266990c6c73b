import Testing

@testable import Policy

@Suite struct BackendAddressTests {
    @Test(arguments: [
        ("127.0.0.1:9001", "127.0.0.1:9001"),
        ("0.0.0.0:1", "0.0.0.0:1"),
        ("255.255.255.255:65535", "255.255.255.255:65535"),
        ("10.0.0.5:8080", "10.0.0.5:8080"),
        ("[::1]:80", "[::1]:80"),
        ("[::]:80", "[::]:80"),
        ("[2001:DB8::1]:443", "[2001:db8::1]:443"),
        ("[2001:0db8:0000:0000:0000:0000:0000:0001]:443", "[2001:db8::1]:443"),
        ("[2001:db8:0:0:1:0:0:1]:443", "[2001:db8::1:0:0:1]:443"),
        ("[2001:db8:0:1:1:1:1:1]:443", "[2001:db8:0:1:1:1:1:1]:443"),
        ("[::ffff:192.0.2.1]:80", "[::ffff:c000:201]:80"),
        ("[fe80::]:80", "[fe80::]:80"),
        ("[1:2:3:4:5:6:7:8]:80", "[1:2:3:4:5:6:7:8]:80"),
        ("localhost:9090", "localhost:9090"),
        ("API-4.Internal.Example:8080", "api-4.internal.example:8080"),
        ("a:1", "a:1"),
        ("1host.example:80", "1host.example:80"),
        ("xn--bcher-kva.example:80", "xn--bcher-kva.example:80"),
    ])
    func validAddressParsesToItsCanonicalForm(input: String, canonical: String) throws {
        #expect(try BackendAddress(parsing: input).description == canonical)
    }

    @Test func hostKindsAreDistinguished() throws {
        #expect(try BackendAddress(parsing: "10.1.2.3:80").host == .ipv4(10, 1, 2, 3))
        #expect(try BackendAddress(parsing: "[::1]:80").host == .ipv6("::1"))
        #expect(try BackendAddress(parsing: "db.example:5432").host == .hostname("db.example"))
        #expect(try BackendAddress(parsing: "db.example:5432").port == 5432)
    }

    @Test(arguments: [
        ("", BackendAddressError.empty),
        ("10.0.0.1;rm -rf /:80", .forbiddenCharacter(";")),
        ("10.0.0.1:80;", .forbiddenCharacter(";")),
        ("web { }:80", .forbiddenCharacter(" ")),
        ("host\n:80", .forbiddenCharacter("\n")),
        ("$(reboot):80", .forbiddenCharacter("$")),
        ("`id`:80", .forbiddenCharacter("`")),
        ("\"quoted\":80", .forbiddenCharacter("\"")),
        ("'quoted':80", .forbiddenCharacter("'")),
        ("host:80\t", .forbiddenCharacter("\t")),
        ("exa_mple.com:80", .forbiddenCharacter("_")),
        ("user@host:80", .forbiddenCharacter("@")),
        ("http://host:80", .forbiddenCharacter("/")),
        ("[fe80::1%eth0]:80", .forbiddenCharacter("%")),
        ("bücher.example:80", .forbiddenCharacter("ü")),
        ("host", .missingPort),
        ("host:", .missingPort),
        ("[::1]", .missingPort),
        ("[::1]80", .missingPort),
        ("host:0", .invalidPort("0")),
        ("host:65536", .invalidPort("65536")),
        ("host:080", .invalidPort("080")),
        ("host:-1", .invalidPort("-1")),
        ("host:8o", .invalidPort("8o")),
        ("host:999999", .invalidPort("999999")),
        ("::1:80", .unbracketedIPv6),
        ("2001:db8::1:80", .unbracketedIPv6),
        ("01.2.3.4:80", .invalidIPv4("01.2.3.4")),
        ("1.2.3:80", .invalidIPv4("1.2.3")),
        ("1.2.3.4.5:80", .invalidIPv4("1.2.3.4.5")),
        ("256.1.1.1:80", .invalidIPv4("256.1.1.1")),
        ("1..2.3:80", .invalidIPv4("1..2.3")),
        ("1234:80", .invalidIPv4("1234")),
        ("[1:2:3:4:5:6:7:8:9]:80", .invalidIPv6("1:2:3:4:5:6:7:8:9")),
        ("[1::2::3]:80", .invalidIPv6("1::2::3")),
        ("[12345::]:80", .invalidIPv6("12345::")),
        ("[:1:2:3:4:5:6:7]:80", .invalidIPv6(":1:2:3:4:5:6:7")),
        ("[1:2:3:4:5:6:7]:80", .invalidIPv6("1:2:3:4:5:6:7")),
        ("[1:2:3:4:5:6:7::8]:80", .invalidIPv6("1:2:3:4:5:6:7::8")),
        ("[::1.2.3]:80", .invalidIPv6("::1.2.3")),
        ("[1.2.3.4::]:80", .invalidIPv6("1.2.3.4::")),
        ("[]:80", .invalidIPv6("")),
        ("[g::1]:80", .invalidIPv6("g::1")),
        ("[::1:80", .invalidIPv6("::1:80")),
        ("-bad.example:80", .invalidHostname("-bad.example", "label \"-bad\" starts or ends with a hyphen")),
        ("bad-.example:80", .invalidHostname("bad-.example", "label \"bad-\" starts or ends with a hyphen")),
        ("a..b:80", .invalidHostname("a..b", "it has an empty label")),
        ("example.com.:80", .invalidHostname("example.com.", "it has an empty label")),
        ("host.123:80", .invalidHostname("host.123", "its last label is numeric, so it reads as a malformed IPv4 address")),
        ("a]b:80", .invalidHostname("a]b", "brackets are only for IPv6 literals")),
    ])
    func invalidAddressIsRejectedWithItsReason(input: String, expected: BackendAddressError) {
        #expect(throws: expected) { try BackendAddress(parsing: input) }
    }

    @Test func hostnameLengthLimitsFollowRFC1123() throws {
        let label63 = String(repeating: "a", count: 63)
        #expect(try BackendAddress(parsing: "\(label63).example:80").description == "\(label63).example:80")
        #expect(throws: BackendAddressError.self) { try BackendAddress(parsing: "\(label63)a.example:80") }
        let name253 = [String](repeating: String(repeating: "b", count: 49), count: 5).joined(separator: ".") + ".ccc"
        #expect(name253.count == 253)
        #expect(try BackendAddress(parsing: "\(name253):80").port == 80)
        #expect(throws: BackendAddressError.self) { try BackendAddress(parsing: "x\(name253):80") }
    }

    @Test func everyAcceptedAddressIsSafeToEmbed() throws {
        let inputs = ["127.0.0.1:1", "[2001:db8::ff]:65535", "Web-1.EXAMPLE:80", "[::ffff:1.2.3.4]:9"]
        for input in inputs {
            let text = try BackendAddress(parsing: input).description
            #expect(text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || ".-:[]".unicodeScalars.contains($0) })
            #expect(try BackendAddress(parsing: text).description == text)
        }
    }

    @Test func errorMessagesShowControlCharactersAsCodePoints() {
        #expect(BackendAddressError.forbiddenCharacter("\n").description.hasPrefix("character U+000A is not allowed"))
        #expect(BackendAddressError.forbiddenCharacter(";").description.hasPrefix("character ';' is not allowed"))
    }
}
