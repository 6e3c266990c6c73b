import Policy
import Testing

@Suite struct BalanceAlgorithmTests {
    @Test(arguments: [
        (BalanceAlgorithm.roundRobin, nil, ["balance roundrobin"] as [String]?),
        (.leastConn, nil, ["balance leastconn"]),
        (.ipHash, nil, ["balance source"]),
        (.randomTwo, nil, ["balance random(2)"]),
        (.hash, HashBalance(key: "$remote_addr", consistent: true), ["balance source", "hash-type consistent"]),
        (.hash, HashBalance(key: "$request_uri"), ["balance uri"]),
        (.hash, HashBalance(key: "$http_x_user"), ["balance hdr(x-user)"]),
        (.hash, HashBalance(key: "$arg_id"), ["balance url_param id"]),
        (.hash, HashBalance(key: "$cookie_session"), nil),
    ])
    func eachAlgorithmIsRenderedInHAProxyWords(balance: BalanceAlgorithm, hash: HashBalance?, directives: [String]?) {
        #expect(balance.haproxyDirectives(hash: hash) == directives)
    }
}
