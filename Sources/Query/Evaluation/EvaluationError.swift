/// A query that parsed but cannot be evaluated over this data (for example many-to-many
/// matching), or a range request Prometheus would refuse. The message says what to change.
public struct EvaluationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Prometheus' `errorType`: `execution` for evaluation failures, `bad_data` for bad requests.
    public enum Kind: String, Sendable {
        case execution
        case badData = "bad_data"
    }

    public var kind: Kind
    public var message: String

    /// An error of `kind` whose `message` is shown to the user as is.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
