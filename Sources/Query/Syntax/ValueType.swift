/// The four kinds of value a PromQL expression can produce; the raw values are the names
/// Prometheus uses in its type errors.
package enum ValueType: String, Sendable {
    case scalar = "scalar"
    case vector = "instant vector"
    case matrix = "range vector"
    case string = "string"
}
