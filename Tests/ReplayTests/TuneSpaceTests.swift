import Testing

@testable import Replay

@Suite struct TuneSpaceTests {
    private func space(_ texts: [String]) throws -> TuneSpace {
        TuneSpace(dimensions: try texts.map { try TuneSpace.dimension($0).get() })
    }

    @Test func listsMultiplyInVaryOrder() throws {
        let variants = try space(["a=1,2", "b=x,y,z"]).variants(random: nil)
        #expect(variants.count == 6)
        #expect(variants.map { $0.map(\.value).joined(separator: "/") } == ["1/x", "1/y", "1/z", "2/x", "2/y", "2/z"])
    }

    @Test func rangesAreDrawnWithinBoundsInTheirUnitAndTheSameEveryTime() throws {
        let space = try space(["a=30s..300s", "b=0.001..0.005"])
        let first = try space.variants(random: 20)
        #expect(first.map { $0.map(\.value) } == (try space.variants(random: 20)).map { $0.map(\.value) })
        for variant in first {
            let seconds = Int(variant[0].value.dropLast()) ?? -1
            #expect(variant[0].value.hasSuffix("s") && (30...300).contains(seconds))
            let fraction = Double(variant[1].value) ?? -1
            #expect((0.001...0.005).contains(fraction), "\(variant[1].value)")
        }
    }

    @Test func aRangeNeedsRandomAndAMalformedVaryIsRefused() throws {
        #expect(throws: TuneSpaceError.self) { try space(["a=1..5"]).variants(random: nil) }
        for text in ["=1,2", "a", "a=", "a=5..1", "a=1s..5m"] {
            guard case .failure = TuneSpace.dimension(text) else {
                Issue.record("accepted \(text)")
                continue
            }
        }
    }
}
