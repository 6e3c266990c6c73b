import Testing

@testable import Store

@Suite struct XORChunkTests {
    private func roundTrip(_ samples: [Sample]) throws -> [Sample] {
        let chunk = XORChunk(encoding: samples)
        #expect(chunk.count == samples.count)
        return try XORChunk(bytes: chunk.bytes).decode()
    }

    /// Compares bit patterns, so NaN payloads count.
    private func expectIdentical(_ decoded: [Sample], _ original: [Sample]) {
        #expect(decoded.map(\.timestamp) == original.map(\.timestamp))
        #expect(decoded.map(\.value.bitPattern) == original.map(\.value.bitPattern))
    }

    @Test func anEmptyChunkDecodesToNoSamples() throws {
        #expect(try roundTrip([]).isEmpty)
    }

    @Test func aSingleSampleRoundTrips() throws {
        let samples = [Sample(timestamp: 1_700_000_000_123, value: 42.5)]
        expectIdentical(try roundTrip(samples), samples)
    }

    @Test func regularIntervalsAndConstantValuesCostAboutTwoBitsPerSample() throws {
        let samples = (0..<120).map { Sample(timestamp: 1_700_000_000_000 + Int64($0) * 15_000, value: 1) }
        expectIdentical(try roundTrip(samples), samples)
        #expect(XORChunk(encoding: samples).bytes.count < 50)
    }

    @Test func irregularIntervalsUseEveryDeltaOfDeltaBucket() throws {
        let gaps: [Int64] = [15_000, 15_001, 14_000, 15_000, 30_000, 1, 100_000, 500_000, 3_600_000, 86_400_000_000, 7]
        var time: Int64 = 1_000
        var samples: [Sample] = []
        for (index, gap) in gaps.enumerated() {
            time += gap
            samples.append(Sample(timestamp: time, value: Double(index)))
        }
        expectIdentical(try roundTrip(samples), samples)
    }

    @Test func negativeDeltasAndTimestampsRoundTrip() throws {
        let times: [Int64] = [0, -5, 10, -1_000_000_000_000, 3, 3, Int64.max / 4, Int64.min / 4]
        let samples = times.map { Sample(timestamp: $0, value: Double($0)) }
        expectIdentical(try roundTrip(samples), samples)
    }

    @Test func specialValuesKeepTheirExactBits() throws {
        let values: [Double] = [
            .nan, .infinity, -.infinity, Double(bitPattern: Sample.staleNaNBits), 0, -0.0, 1, .nan,
            .greatestFiniteMagnitude, .leastNonzeroMagnitude, -1e-300, Double(bitPattern: Sample.staleNaNBits),
        ]
        let samples = values.enumerated().map { Sample(timestamp: Int64($0.offset) * 1000, value: $0.element) }
        let decoded = try roundTrip(samples)
        expectIdentical(decoded, samples)
        #expect(decoded[3].isStale)
        #expect(!decoded[0].isStale)
    }

    @Test func moreThan120VaryingSamplesRoundTrip() throws {
        var state: UInt64 = 0x1234_5678
        let samples = (0..<1_000).map { index -> Sample in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let jitter = Int64(state >> 60)
            let value = index % 7 == 0 ? Double(index) : Double(bitPattern: state >> 2)
            return Sample(timestamp: Int64(index) * 15_000 + jitter, value: value)
        }
        expectIdentical(try roundTrip(samples), samples)
    }

    @Test func counterLikeSeriesCompressBelowTwoBytesPerSample() throws {
        var total = 0.0
        let samples = (0..<120).map { index -> Sample in
            total += Double(index % 5 * 3)
            return Sample(timestamp: Int64(index) * 15_000, value: total)
        }
        let chunk = XORChunk(encoding: samples)
        expectIdentical(try XORChunk(bytes: chunk.bytes).decode(), samples)
        #expect(chunk.bytes.count < 2 * samples.count)
    }

    @Test func truncatedDataIsReportedNotMisread() throws {
        let samples = (0..<50).map { Sample(timestamp: Int64($0) * 1_000, value: Double($0) * 1.5) }
        let bytes = XORChunk(encoding: samples).bytes
        #expect(throws: ChunkDecodingError.self) { try XORChunk(bytes: Array(bytes.prefix(bytes.count / 2))).decode() }
        #expect(throws: ChunkDecodingError.self) { try XORChunk(bytes: [0]).decode() }
    }
}
