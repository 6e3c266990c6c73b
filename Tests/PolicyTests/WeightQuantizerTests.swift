import Testing

@testable import Policy

/// Integer weights that keep the ratios of the real-valued ones.
@Suite struct WeightQuantizerTests {
    @Test func exactRatiosSurviveUnchanged() {
        #expect(WeightQuantizer.quantize([25, 50, 100], min: 1, max: 100) == [25, 50, 100])
    }

    @Test func lostUnitsGoToTheLargestRemainders() {
        #expect(WeightQuantizer.quantize([33.4, 33.3, 33.3], min: 1, max: 100) == [34, 33, 33])
        #expect(WeightQuantizer.quantize([1.5, 1.5, 1.5, 1.5], min: 1, max: 10) == [2, 2, 1, 1])
    }

    @Test func sumIsTheRoundedRealSum() {
        let weights = [12.7, 3.2, 99.9, 45.45, 7.75]
        let total = WeightQuantizer.quantize(weights, min: 1, max: 100).reduce(0, +)
        #expect(total == Int(weights.reduce(0, +).rounded()))
    }

    @Test func resultsStayInTheProxyRange() {
        #expect(WeightQuantizer.quantize([0.2, 300, .nan], min: 1, max: 256) == [1, 256, 1])
        #expect(WeightQuantizer.quantize([0, 0.4, 256], min: 0, max: 256) == [0, 0, 256])
    }
}
