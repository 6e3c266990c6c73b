import Testing

@testable import Policy

/// The HPA replica calculator for one signal: tolerance, missing and unready backends.
@Suite struct ReplicaProposalTests {
    private let target = ScalingTarget(signal: "cpu", value: 0.5, tolerance: 0.1)

    private func replicas(_ proposal: ReplicaProposal) -> Int? {
        if case .replicas(let count, _) = proposal { return count }
        return nil
    }

    @Test func deviationsInsideTheToleranceBandProposeNoChange() {
        let inside = ReplicaProposal.forTarget(target, reading: .backends(values: [0.545, 0.545], unready: 0), current: 2)
        #expect(replicas(inside) == 2)
        let outside = ReplicaProposal.forTarget(target, reading: .backends(values: [0.555, 0.555], unready: 0), current: 2)
        #expect(replicas(outside) == 3)
    }

    @Test func proposalChangingDirectionOnceMissingBackendsCountIsDropped() {
        let proposal = ReplicaProposal.forTarget(target, reading: .backends(values: [0.4, nil, nil, nil], unready: 0), current: 4)
        #expect(replicas(proposal) == 4)
        if case .replicas(_, let reason) = proposal {
            #expect(reason.contains("3 missing"))
        }
    }

    @Test func noReportingBackendIsInvalid() {
        let proposal = ReplicaProposal.forTarget(target, reading: .backends(values: [nil, nil], unready: 1), current: 3)
        #expect(replicas(proposal) == nil)
    }

    @Test func failedReadingIsInvalidAndNamesTheError() {
        let proposal = ReplicaProposal.forTarget(target, reading: .failed("timeout"), current: 3)
        #expect(proposal == .invalid(reason: "signal cpu unavailable: timeout"))
    }

    @Test func reasonNamesTheValuesAndTheRule() {
        let proposal = ReplicaProposal.forTarget(target, reading: .backends(values: [1, 1], unready: 0), current: 2)
        #expect(proposal == .replicas(4, reason: "cpu average 1 vs target 0.5 (ratio 2) over 2 backends proposes 4"))
    }

    @Test func percentStepsMoveAtLeastOneReplica() {
        let steps = StepScaling(signal: "cpu", thresholds: [StepThreshold(lower: 0.9, upper: nil, adjustment: .percent(10))])
        #expect(replicas(.forSteps(steps, value: 0.95, current: 3)) == 4)
        #expect(replicas(.forSteps(steps, value: 0.95, current: 25)) == 27)
    }
}
