import Control
import Foundation
import HTTPAPI
import Testing

@Suite struct StatusPageTests {
    /// A pool as `/api/v1/pools` serves it, with text from outside (a reason, an error) that
    /// holds markup.
    static let pool = """
        {"pool":"web","policyFile":"web.yaml","applier":"nginx","dryRun":false,"evaluatedAt":1000000,
         "evaluationIntervalSeconds":1,"servingTier":"active","panic":false,"holdDownRemainingSeconds":0,
         "applied":true,"backends":[
           {"address":"127.0.0.1:9001","tier":"active","health":"healthy","up":true,"state":"serving",
            "desiredWeight":70,"appliedWeight":60,"slowStartProgress":0.5,"lastError":"","signals":{"util":0.25}},
           {"address":"127.0.0.1:9002","tier":"active","health":"unhealthy","up":false,"state":"ejected",
            "desiredWeight":0,"ejectedUntil":1030000,"lastError":"<script>alert(1)</script>","signals":{}}],
         "scaling":{"current":2,"desired":3,"min":2,"max":6,"reason":"r"},
         "signalErrors":{},
         "decisions":[{"time":999000,"pool":"web","kind":"eject","origin":"engine",
           "reason":"b & <b>c</b> ejected","decision":"{}"}]}
        """

    @Test func everyBackendIsShownWithItsWeightsHealthAndEjection() throws {
        let status = try JSONDecoder().decode(PoolStatus.self, from: Data(Self.pool.utf8))
        let html = StatusPage.page([status], version: "1.0", now: 1_000_000)
        #expect(html.contains("data-backend=\"127.0.0.1:9001\""))
        #expect(html.contains("<span class=\"weight\">70</span> / <span class=\"applied-weight\">60</span>"))
        #expect(html.contains("slow start 50%"))
        #expect(html.contains("ejected 30 s"))
        #expect(html.contains("replicas <b>2</b> → 3 (2–6)"))
        #expect(html.contains("util 0.25"))
    }

    @Test func textFromOutsideIsEscaped() throws {
        let status = try JSONDecoder().decode(PoolStatus.self, from: Data(Self.pool.utf8))
        let html = StatusPage.fragment([status], now: 1_000_000)
        #expect(!html.contains("<script>alert"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("b &amp; &lt;b&gt;c&lt;/b&gt; ejected"))
        #expect(StatusPage.escape("'\"") == "&#39;&quot;")
    }

    @Test func thePageNeedsNothingFromOutside() throws {
        let html = StatusPage.page([], version: "1.0", now: 0)
        for external in ["http://", "https://", "<img", "url(", "@import", "<link", "src="] {
            #expect(!html.contains(external))
        }
        #expect(html.contains("No pools are loaded."))
    }
}
