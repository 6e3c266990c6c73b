import Store

/// How a target's series are labelled in the store, as Prometheus' scrape loop labels them
/// with `honor_labels: false`: the target's labels (`job`, `instance`, file_sd labels) win, and
/// an exposed label that clashes with one is kept as `exported_<name>` (again until the name is
/// free). The series cache labels its series from their keys with it, when the store asks.
struct TargetLabeling: Sendable {
    /// The target's labels, `job` and `instance` included, sorted.
    let targetLabels: [Label]
    private let targetNames: Set<String>

    init(_ targetLabels: [String: String]) {
        self.targetLabels = targetLabels.map { Label(name: $0.key, value: $0.value) }.sorted()
        targetNames = Set(targetLabels.keys)
    }

    /// The stored labels of the series a cached key names (the bytes of a `RawSeriesKey`).
    func labels(ofKey key: UnsafeBufferPointer<UInt8>) -> Labels {
        let (name, exposed) = RawSeriesKey.decode(key)
        var pairs = targetLabels
        pairs.reserveCapacity(targetLabels.count + 1 + exposed.count)
        pairs.append(Label(name: Labels.metricNameLabel, value: name))
        for (exposedName, value) in exposed {
            var name = exposedName
            if targetNames.contains(name) {
                name = "exported_" + name
                while targetNames.contains(name) || exposed.contains(where: { $0.name == name }) { name = "exported_" + name }
            }
            pairs.append(Label(name: name, value: value))
        }
        return Labels(pairs)
    }
}
