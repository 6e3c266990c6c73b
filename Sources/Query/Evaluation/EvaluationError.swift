/// A query that parsed but cannot be evaluated over this data (for example many-to-many
/// matching), or a range request Prometheus would refuse. The message says what to change.
package struct EvaluationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Prometheus' `errorType`: `execution` for evaluation failures, `bad_data` for bad requests,
    /// `timeout` for a query that ran past its engine's timeout.
    package enum Kind: String, Sendable {
        case execution
        case badData = "bad_data"
        case timeout
        case canceled
    }

    /// Prometheus' words for a query stopped by `--query.timeout`.
    static let timedOut = EvaluationError(.timeout, "query timed out in expression evaluation")
    /// A query stopped by its `QueryCancellation` (the daemon is shutting down).
    static let canceled = EvaluationError(.canceled, "query was canceled: Ballast is shutting down")

    package var kind: Kind
    package var message: String

    /// An error of `kind` whose `message` is shown to the user as is.
    package init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    package var description: String { message }
}
