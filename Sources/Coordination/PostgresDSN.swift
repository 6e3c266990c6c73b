import Foundation
import NIOSSL
package import PostgresNIO

/// `ha.postgres.dsn_file`'s content: a libpq connection URI,
/// `postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=disable|prefer|require` (percent-encoded
/// parts, `postgresql://` too, port 5432 by default, an IPv6 host in brackets), or
/// `host=/socket/dir` for a Unix socket. The password lives only in that file and is never
/// logged: errors name the file, not its text.
package struct PostgresDSN: Sendable {
    /// For the pooled client that holds the lease.
    package var client: PostgresClient.Configuration
    /// For one direct connection that says why the pooled client gets no answer (the pool only
    /// waits and retries, so a wrong password would otherwise read as a timeout).
    package var connection: PostgresConnection.Configuration

    package init(_ text: String, path: String) throws(PostgresDSNError) {
        let line = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !line.contains("\n") else { throw PostgresDSNError(path: path, reason: "holds more than one line") }
        guard let components = URLComponents(string: line), ["postgres", "postgresql"].contains(components.scheme ?? "") else {
            throw PostgresDSNError(path: path, reason: "is not a postgres://USER:PASSWORD@HOST:PORT/DATABASE URI")
        }
        guard let user = components.user.flatMap({ $0.removingPercentEncoding }), !user.isEmpty else {
            throw PostgresDSNError(path: path, reason: "names no user (postgres://USER@HOST/DATABASE)")
        }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw PostgresDSNError(path: path, reason: "has port \(port); use 1 to 65535") }
        let password = components.password.flatMap { $0.removingPercentEncoding }
        var database = String(components.path.drop { $0 == "/" }).removingPercentEncoding
        if database?.isEmpty == true { database = nil }
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        if let socketDirectory = query["host"], socketDirectory.hasPrefix("/") {
            let socket = socketDirectory + "/.s.PGSQL.\(port)"
            client = PostgresClient.Configuration(unixSocketPath: socket, username: user, password: password, database: database)
            connection = PostgresConnection.Configuration(unixSocketPath: socket, username: user, password: password, database: database)
            return
        }
        guard var host = components.host, !host.isEmpty else { throw PostgresDSNError(path: path, reason: "names no host") }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let mode = query["sslmode"] ?? "prefer"
        let clientTLS: PostgresClient.Configuration.TLS
        let connectionTLS: PostgresConnection.Configuration.TLS
        do {
            switch mode {
            case "disable":
                (clientTLS, connectionTLS) = (.disable, .disable)
            case "prefer", "allow":
                (clientTLS, connectionTLS) = (
                    .prefer(.makeClientConfiguration()), .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
                )
            case "require", "verify-ca", "verify-full":
                (clientTLS, connectionTLS) = (
                    .require(.makeClientConfiguration()), .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
                )
            default:
                throw PostgresDSNError(path: path, reason: "has sslmode=\(mode); use disable, prefer or require")
            }
        } catch let error as PostgresDSNError {
            throw error
        } catch {
            throw PostgresDSNError(path: path, reason: "asks for TLS (sslmode=\(mode)), which cannot be set up here: \(error)")
        }
        client = PostgresClient.Configuration(host: host, port: port, username: user, password: password, database: database, tls: clientTLS)
        connection = PostgresConnection.Configuration(
            host: host,
            port: port,
            username: user,
            password: password,
            database: database,
            tls: connectionTLS
        )
    }
}

/// A DSN file that cannot be used; names the file and what is wrong, never its content.
package struct PostgresDSNError: Error, CustomStringConvertible {
    package var path: String
    package var reason: String
    package var description: String { "\(path): the PostgreSQL DSN \(reason)" }
}
