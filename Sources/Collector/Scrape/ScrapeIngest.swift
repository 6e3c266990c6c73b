import Exposition
import Store

/// Turns one scrape body into the samples the store keeps, as Prometheus' scrape loop does:
/// target labels (`job`, `instance`, file_sd labels) win over exposed ones, which are kept as
/// `exported_<name>`; samples without a timestamp get the scrape's; each series' labels are built
/// once and then found by the raw text of the line in the target's `SeriesCache`, whose misses
/// are `scrape_series_added`.
struct ScrapeIngest: ExpositionVisitor {
    /// The target's labels, `job` and `instance` included.
    let targetLabels: [Label]
    private let targetNames: Set<String>
    let timestamp: Int64
    /// The target's series; the caller moves it in before parsing and back out after.
    var cache = SeriesCache()
    private(set) var samples: [ScrapedSample] = []
    private(set) var seriesAdded = 0
    /// Samples sent by the id of their series rather than its labels.
    private(set) var samplesByID = 0
    /// The metric name of the last series whose labels were built: a family's series share
    /// one string instead of allocating one each.
    private var lastName = ""

    /// An ingest of a scrape expected to have about `expectedSamples` samples (the cache's
    /// count: the samples array then grows at most once).
    init(targetLabels: [String: String], timestamp: Int64, expectedSamples: Int) {
        self.targetLabels = targetLabels.map { Label(name: $0.key, value: $0.value) }.sorted()
        targetNames = Set(targetLabels.keys)
        self.timestamp = timestamp
        samples.reserveCapacity(expectedSamples + 8)
    }

    mutating func visitSample(_ sample: SampleView) throws {
        let (targetLabels, targetNames) = (self.targetLabels, self.targetNames)
        var name = lastName
        let found = cache.series(of: sample, sampleIndex: samples.count) {
            if !name.utf8.elementsEqual(sample.name) { name = sample.nameString }
            return Self.makeLabels(sample, name: name, targetLabels: targetLabels, targetNames: targetNames)
        }
        lastName = name
        if found.added { seriesAdded += 1 }
        if found.id != nil { samplesByID += 1 }
        samples.append(
            ScrapedSample(encoded: found.labels, id: found.id, sample: Sample(timestamp: sample.timestampMs ?? timestamp, value: sample.value))
        )
    }

    mutating func visitMetadata(_ line: MetadataView) throws {
        cache.metadata.record(line)
    }

    /// The stored labels of a series seen for the first time: exposed labels that clash with a
    /// target label are renamed `exported_<name>` (again until the name is free), as
    /// Prometheus does with `honor_labels: false`.
    private static func makeLabels(_ sample: SampleView, name metricName: String, targetLabels: [Label], targetNames: Set<String>) -> Labels {
        var pairs = targetLabels
        pairs.append(Label(name: Labels.metricNameLabel, value: metricName))
        var exposedNames = Set<String>()
        for index in 0..<sample.labelCount {
            exposedNames.insert(String(decoding: sample.labelName(at: index), as: UTF8.self))
        }
        for index in 0..<sample.labelCount {
            var name = String(decoding: sample.labelName(at: index), as: UTF8.self)
            let value = String(decoding: sample.labelValue(at: index), as: UTF8.self)
            if targetNames.contains(name) {
                name = "exported_" + name
                while targetNames.contains(name) || exposedNames.contains(name) { name = "exported_" + name }
            }
            pairs.append(Label(name: name, value: value))
        }
        return Labels(pairs)
    }
}

/// What a target says about a metric family (`/api/v1/metadata`).
package struct MetricMetadata: Sendable, Hashable, Codable {
    package var type = "unknown"
    package var help = ""
    package var unit = ""

    package init(type: String = "unknown", help: String = "", unit: String = "") {
        self.type = type
        self.help = help
        self.unit = unit
    }
}
