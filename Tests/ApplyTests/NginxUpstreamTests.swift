import Policy
import Testing

@testable import Apply

@Suite struct NginxUpstreamTests {
    private func address(_ text: String) throws -> BackendAddress { try BackendAddress(parsing: text) }

    private func upstream(_ balance: BalanceAlgorithm, hash: HashBalance? = nil) -> NginxUpstream {
        NginxUpstream(pool: "web", name: "web", balance: balance, hash: hash, maxFails: 1, failTimeout: .seconds(10))
    }

    @Test func weightsDownAndBackupAreRenderedInAddressOrder() throws {
        let text = upstream(.leastConn).render([
            BackendRouting(address: try address("10.0.0.2:80"), weight: 0, state: .serving),
            BackendRouting(address: try address("10.0.0.1:80"), weight: 7, state: .serving),
            BackendRouting(address: try address("[2001:db8::1]:80"), weight: 3, state: .ejected),
            BackendRouting(address: try address("10.0.0.9:80"), weight: 1, state: .standby),
            BackendRouting(address: try address("db-1.example:80"), weight: 2, state: .slowStart),
        ])
        #expect(
            text == """
                # Written by Ballast for pool web; every change rewrites it.
                upstream web {
                    least_conn;
                    server 10.0.0.1:80 weight=7 max_fails=1 fail_timeout=10s;
                    server 10.0.0.2:80 down;
                    server 10.0.0.9:80 weight=1 max_fails=1 fail_timeout=10s backup;
                    server [2001:db8::1]:80 down;
                    server db-1.example:80 weight=2 max_fails=1 fail_timeout=10s;
                }

                """
        )
    }

    @Test(arguments: [
        (BalanceAlgorithm.roundRobin, nil, nil),
        (.leastConn, nil, "    least_conn;"),
        (.ipHash, nil, "    ip_hash;"),
        (.hash, HashBalance(key: "$cookie_session", consistent: true), "    hash $cookie_session consistent;"),
        (.hash, HashBalance(key: "$remote_addr"), "    hash $remote_addr;"),
        (.randomTwo, nil, "    random two least_conn;"),
    ])
    func eachAlgorithmIsRenderedInNginxWords(balance: BalanceAlgorithm, hash: HashBalance?, line: String?) throws {
        let lines = upstream(balance, hash: hash).render([BackendRouting(address: try address("10.0.0.1:80"), weight: 1, state: .serving)])
            .split(separator: "\n")
        let expected = line ?? "    server 10.0.0.1:80 weight=1 max_fails=1 fail_timeout=10s;"
        #expect(String(lines[2]) == expected)
    }

    @Test func aStandbyIsDownWhereNginxKeepsNoBackupServers() throws {
        let text = upstream(.ipHash).render([BackendRouting(address: try address("10.0.0.9:80"), weight: 1, state: .standby)])
        #expect(text.contains("server 10.0.0.9:80 down;"))
        #expect(!text.contains("backup"))
    }

    @Test func weightMovesDoNotChangeRotationButHealthAndMembershipDo() throws {
        let a = try address("10.0.0.1:80")
        let b = try address("10.0.0.2:80")
        let base = [BackendRouting(address: a, weight: 5, state: .serving), BackendRouting(address: b, weight: 5, state: .serving)]
        var moved = base
        moved[0].weight = 9
        #expect(!NginxUpstream.changesRotation(from: base, to: moved))
        var ejected = base
        ejected[1].state = .ejected
        #expect(NginxUpstream.changesRotation(from: base, to: ejected))
        #expect(NginxUpstream.changesRotation(from: base, to: Array(base.prefix(1))))
    }

    @Test func aTemplateGetsTheUpstreamTheAlgorithmAndTheServers() throws {
        let template = "upstream {{ upstream }} {\n    {{balance}}\n    keepalive 8;\n    {{servers}}\n}\n# {{unknown}} stays\n"
        let text = upstream(.leastConn).render(
            [
                BackendRouting(address: try address("10.0.0.1:80"), weight: 2, state: .serving),
                BackendRouting(address: try address("10.0.0.2:80"), weight: 2, state: .ejected),
            ],
            template: template
        )
        #expect(
            text == """
                upstream web {
                    least_conn;
                    keepalive 8;
                    server 10.0.0.1:80 weight=2 max_fails=1 fail_timeout=10s;
                    server 10.0.0.2:80 down;
                }
                # {{unknown}} stays

                """
        )
    }
}
