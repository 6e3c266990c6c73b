import Foundation
package import Prometheus
package import Store

/// Ballast's `/metrics` body: the registry's families, the store's size, `ballast_build_info`
/// and the standard `process_*` families.
package enum DaemonMetrics {
    package static func render(registry: PrometheusCollectorRegistry, store: LiveStore, executor: QueryExecutor, version: String) async -> [UInt8] {
        let statistics = try? await store.statistics(on: executor)
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        func gauge(_ name: String, _ help: String, _ value: Int) {
            buffer.append(contentsOf: "# HELP \(name) \(help)\n# TYPE \(name) gauge\n\(name) \(value)\n".utf8)
        }
        if let statistics {
            gauge("ballast_store_series", "Series in the store.", statistics.seriesCount)
            gauge("ballast_store_chunks", "Compressed chunks in the store.", statistics.chunkCount)
            gauge("ballast_store_head_series", "Series with samples in the head (not yet in stored chunks).", statistics.headSeriesCount)
            gauge("ballast_store_head_samples", "Samples in the head.", statistics.headSampleCount)
            gauge("ballast_store_head_bytes", "Bytes of compressed samples in the head.", statistics.headBytes)
            gauge("ballast_store_size_bytes", "Size of the store's database file.", statistics.fileBytes)
            gauge("ballast_store_free_bytes", "Free pages in the store's file, reused before it grows.", statistics.freeBytes)
        }
        let escapedVersion = version.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        buffer.append(
            contentsOf:
                "# HELP ballast_build_info Ballast's version.\n# TYPE ballast_build_info gauge\nballast_build_info{version=\"\(escapedVersion)\"} 1\n"
                .utf8
        )
        ProcessMetrics.append(to: &buffer)
        return buffer
    }
}
