import Foundation
import Testing

@testable import Replay

@Suite struct QueueModelTests {
    @Test func theP99OfTheQueueModelMatchesMM1() {
        // M/M/1: the response time is Exp(mu - lambda): p99 = ln(100) / (mu - lambda).
        let model = QueueModel(perReplicaRPS: 100)
        #expect(abs(model.p99(servers: 1, load: 50) - log(100) / 50) < 1e-6)
        #expect(model.p99(servers: 2, load: 200) == .infinity)
        // More servers at the same utilisation wait less.
        #expect(model.p99(servers: 8, load: 400) < model.p99(servers: 1, load: 50))
    }
}
