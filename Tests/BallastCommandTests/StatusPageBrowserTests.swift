import Foundation
import TestSupport
import Testing

/// The daemon's status page as a person sees it: rendered by a real browser (Debian's chromium),
/// showing what `/api/v1/pools` says, with a screenshot kept in `.build/test-artifacts/`.
@Suite struct StatusPageBrowserTests {
    static let chromium = "/usr/bin/chromium"
    static let artifacts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".build/test-artifacts")

    static func chromium(_ arguments: [String]) throws -> String {
        let browser = Process()
        browser.executableURL = URL(fileURLWithPath: chromium)
        browser.arguments = ["--headless", "--no-sandbox", "--disable-gpu"] + arguments
        let output = Pipe()
        browser.standardOutput = output
        browser.standardError = FileHandle.nullDevice
        try browser.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        browser.waitUntilExit()
        return text
    }

    @Test(.enabled(if: BallastProcess.binary != nil && FileManager.default.isExecutableFile(atPath: chromium)))
    func theBrowserShowsEveryBackendWithTheWeightsThePoolsAPIGives() async throws {
        let directory = try TemporaryDirectory()
        let busy = try await MetricsBackend(directory, "a", utilization: 0.9)
        let idle = try await MetricsBackend(directory, "b", utilization: 0.2)
        let policy = try directory.write(
            "web.yaml",
            """
            pool: web
            backends: {static: ["\(busy.address)", "\(idle.address)"]}
            scrape: {interval: 500ms, timeout: 400ms}
            evaluation_interval: 1s
            signals: {util: backend_utilization}
            weights: {strategy: headroom, signal: util, target: 0.95, min: 1, max: 100}

            """
        )
        let daemon = try await DaemonProcess(["--policy", policy, "--db", directory.file("s.db")], in: directory.path)
        defer { daemon.stop() }
        try await daemon.waitForPool("web") { pool in
            backendsByAddress(pool).values.allSatisfy { $0["health"] as? String == "healthy" && ($0["signals"] as? [String: Double])?["util"] != nil }
        }
        let url = "http://127.0.0.1:\(daemon.port)/"
        // Weights may still move between the API read and the render: compare a few times.
        var mismatch = ""
        for _ in 0..<5 {
            let pool = try await daemon.pool("web")
            let dom = try Self.chromium(["--dump-dom", url])
            mismatch = ""
            #expect(dom.contains("<h2>web</h2>"))
            for (address, backend) in backendsByAddress(pool) {
                let weight = backend["desiredWeight"] as? Int ?? -1
                guard let row = dom.range(of: "data-backend=\"\(address)\"") else {
                    mismatch = "no row for \(address)"
                    continue
                }
                let rest = dom[row.upperBound...].prefix(1500)
                if !rest.contains("<span class=\"weight\">\(weight)</span>") { mismatch += "\(address) weight \(weight) not shown; " }
                if !rest.contains("healthy") { mismatch += "\(address) health not shown; " }
            }
            if mismatch.isEmpty { break }
            try await Task.sleep(for: .seconds(1))
        }
        #expect(mismatch.isEmpty, "\(mismatch)")
        try FileManager.default.createDirectory(at: Self.artifacts, withIntermediateDirectories: true)
        let screenshot = Self.artifacts.appendingPathComponent("status-page.png").path
        try? FileManager.default.removeItem(atPath: screenshot)
        _ = try Self.chromium(["--screenshot=\(screenshot)", "--window-size=1280,800", url])
        let size = (try? FileManager.default.attributesOfItem(atPath: screenshot)[.size] as? Int) ?? 0
        #expect(size > 10_000, "a screenshot of the page was taken")
    }

    @Test(.enabled(if: BallastProcess.binary != nil))
    func thePageUpdatesItselfFromAFragmentOfTheSameRenderer() async throws {
        let directory = try TemporaryDirectory()
        let backend = try await MetricsBackend(directory, "a")
        let policy = try directory.write("web.yaml", "pool: web\nbackends: {static: [\"\(backend.address)\"]}\nscrape: {interval: 500ms}\n")
        let daemon = try await DaemonProcess(["--policy", policy, "--db", directory.file("f.db")], in: directory.path)
        defer { daemon.stop() }
        let (status, page) = try await daemon.get("/")
        #expect(status == 200)
        #expect(page.contains("fetch('/?fragment=pools')"))
        let (_, fragment) = try await daemon.get("/?fragment=pools")
        #expect(fragment.hasPrefix("<section class=\"pool\" data-pool=\"web\">"))
        #expect(fragment.contains("data-backend=\"\(backend.address)\""))
    }
}
