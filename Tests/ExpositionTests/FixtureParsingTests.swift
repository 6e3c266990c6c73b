import Exposition
import Foundation
import Testing

/// The real expositions in shared/testdata parse with the sample counts Prometheus finds.
@Suite(.enabled(if: ExpositionFixtures.available, "\(ExpositionFixtures.missingReason)"))
struct FixtureParsingTests {
    @Test("every fixture parses with the sample count Prometheus reports", arguments: ExpositionFixtures.sampleCounts.map(\.file))
    func fixtureSampleCount(_ file: String) throws {
        let expected = ExpositionFixtures.sampleCounts.first { $0.file == file }!.samples
        let samples = try ExpositionParser.samples(
            in: ExpositionFixtures.bytes(file),
            format: ExpositionFixtures.format(of: file)
        )
        #expect(samples.count == expected)
    }

    static let gzip = ["/usr/bin/gzip", "/bin/gzip"].first(where: FileManager.default.isExecutableFile(atPath:))

    @Test("the gzipped fixture, gunzipped, parses like the plain one", .enabled(if: gzip != nil, "gzip is not installed"))
    func gzippedFixture() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.gzip!)
        process.arguments = ["-dc", ExpositionFixtures.directory.appendingPathComponent("alltypes.237mfs.prom.txt.gz").path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let unpacked = try ExpositionParser.samples(in: [UInt8](data), format: .prometheusText)
        let plain = try ExpositionParser.samples(in: ExpositionFixtures.bytes("alltypes.237mfs.prom.txt"), format: .prometheusText)
        #expect(unpacked.count == 1857)
        #expect(unpacked == plain)
    }

    @Test("metadata does not change the samples: the nometa fixtures give the same ones")
    func metadataFreeFixturesMatch() throws {
        for (withMeta, withoutMeta) in [
            ("alltypes.237mfs.prom.txt", "alltypes.237mfs.nometa.prom.txt"),
            ("promtestdata.legacy.prom.txt", "promtestdata.legacy.nometa.prom.txt"),
        ] {
            let full = try ExpositionParser.samples(in: ExpositionFixtures.bytes(withMeta), format: .prometheusText)
            let bare = try ExpositionParser.samples(in: ExpositionFixtures.bytes(withoutMeta), format: .prometheusText)
            #expect(full == bare, "\(withMeta) vs \(withoutMeta)")
        }
    }

    @Test("every fixture parses to the same samples by default and under the written specs")
    func defaultAgreesWithSpecificationOnValidInput() throws {
        for (file, _) in ExpositionFixtures.sampleCounts {
            let format = ExpositionFixtures.format(of: file)
            let prometheus = try ExpositionParser.samples(in: ExpositionFixtures.bytes(file), format: format)
            let strict = try ExpositionParser.samples(in: ExpositionFixtures.bytes(file), format: format, options: .specification)
            #expect(strict == prometheus, "\(file)")
        }
    }
}
