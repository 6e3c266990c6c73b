/// Why a remote query gave no result. The message names the server and says what went wrong
/// in the words the server used (its `errorType` and `error`), so a signal's failure on the
/// status page reads like the same query's failure in Prometheus' own UI.
package struct RemoteQueryError: Error, Sendable, CustomStringConvertible {
    /// What failed: the transport, the server's answer, or its shape.
    package enum Kind: Sendable, Hashable {
        /// Unreachable, timed out, refused, TLS or a secret file that cannot be read.
        case unavailable
        /// The server answered with an error (`bad_data`, `execution`, `timeout`, ...).
        case server(errorType: String)
        /// The answer was not the API's JSON.
        case malformed
    }

    package var kind: Kind
    package var message: String

    package init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    package var description: String { message }
}
