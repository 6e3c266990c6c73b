import Foundation
import Query
import Store

extension PrometheusClient {
    /// The API's `data` (`{"resultType": ..., "result": ...}`) as a ``Value``: the same shapes
    /// Ballast's own engine returns, so a remote signal is matched to backends by one code path.
    static func value(_ data: [String: Any], query: String, server: String) throws(RemoteQueryError) -> Value {
        func malformed(_ what: String) -> RemoteQueryError {
            RemoteQueryError(.malformed, "\(server) answered \(query) with \(what)")
        }
        let result = data["result"]
        switch data["resultType"] as? String {
        case "scalar":
            guard let pair = result as? [Any], let sample = point(pair) else { throw malformed("a scalar that is not [time, \"value\"]") }
            return .scalar(sample.value)
        case "string":
            guard let pair = result as? [Any], pair.count == 2, let text = pair[1] as? String else {
                throw malformed("a string that is not [time, \"text\"]")
            }
            return .string(text)
        case "vector":
            guard let rows = result as? [[String: Any]] else { throw malformed("a vector that is not a list of samples") }
            var samples: [VectorSample] = []
            samples.reserveCapacity(rows.count)
            for row in rows {
                guard let labels = labels(row["metric"]), let pair = row["value"] as? [Any], let sample = point(pair) else {
                    throw malformed("a vector sample without metric and value")
                }
                samples.append(VectorSample(labels: labels, value: sample.value, timestamp: sample.timestamp))
            }
            return .vector(samples)
        case "matrix":
            guard let rows = result as? [[String: Any]] else { throw malformed("a matrix that is not a list of series") }
            var series: [MatrixSeries] = []
            series.reserveCapacity(rows.count)
            for row in rows {
                guard let labels = labels(row["metric"]), let points = row["values"] as? [[Any]] else {
                    throw malformed("a matrix series without metric and values")
                }
                var samples: [Sample] = []
                samples.reserveCapacity(points.count)
                for pair in points {
                    guard let sample = point(pair) else { throw malformed("a point that is not [time, \"value\"]") }
                    samples.append(sample)
                }
                series.append(MatrixSeries(labels: labels, samples: samples))
            }
            return .matrix(series)
        default:
            throw malformed("an unknown resultType \(String(describing: data["resultType"] ?? "none"))")
        }
    }

    /// `[unix seconds, "value"]` as a sample (ms); values as Prometheus writes them, `NaN` and
    /// `±Inf` included.
    private static func point(_ pair: [Any]) -> Sample? {
        guard pair.count == 2, let seconds = (pair[0] as? NSNumber)?.doubleValue, seconds.isFinite, let text = pair[1] as? String else {
            return nil
        }
        let value: Double
        switch text {
        case "NaN": value = .nan
        case "+Inf": value = .infinity
        case "-Inf": value = -.infinity
        default:
            guard let number = Double(text) else { return nil }
            value = number
        }
        return Sample(timestamp: Int64((seconds * 1000).rounded()), value: value)
    }

    private static func labels(_ metric: Any?) -> Labels? {
        guard let metric = metric as? [String: Any] else { return nil }
        var pairs: [Label] = []
        for (name, value) in metric {
            guard let value = value as? String else { return nil }
            pairs.append(Label(name: name, value: value))
        }
        return Labels(pairs)
    }
}
