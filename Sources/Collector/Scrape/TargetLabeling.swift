import Store

/// How a target's series are labelled in the store, as Prometheus' scrape loop labels them
/// with `honor_labels: false`: the target's labels (`job`, `instance`, file_sd labels) win, and
/// an exposed label that clashes with one (with a value: an empty one is no label) is kept as
/// `exported_<name>`, prefixed again until no exposed label, target label or clash renamed
/// before it has that name, the shortest names first. The series cache labels its series from
/// their keys with it, when the store asks.
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
        var clashes: [Label] = []
        for (exposedName, value) in exposed {
            if !targetNames.contains(exposedName) {
                pairs.append(Label(name: exposedName, value: value))
            } else if !value.isEmpty {
                clashes.append(Label(name: exposedName, value: value))
            }
        }
        guard !clashes.isEmpty else { return Labels(pairs) }
        // Prometheus' order: by target label name, then (stably) the shortest first.
        clashes.sort { ($0.name.utf8.count, $0.name) < ($1.name.utf8.count, $1.name) }
        let exposedNames = Set(exposed.map(\.name))
        var renamed: Set<String> = []
        for clash in clashes {
            var name = clash.name
            repeat {
                name = "exported_" + name
            } while exposedNames.contains(name) || targetNames.contains(name) || renamed.contains(name)
            renamed.insert(name)
            pairs.append(Label(name: name, value: clash.value))
        }
        return Labels(pairs)
    }
}
