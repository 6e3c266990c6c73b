/// Inner results of subqueries by subquery id and time, shared by every copy of one
/// `Evaluator` (a value type) for the length of one query.
final class SubqueryCache {
    var vectors: [Int: [Int64: [VectorSample]]] = [:]
}
