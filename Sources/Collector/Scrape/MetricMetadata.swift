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
