import Foundation
import NIOSSL
package import PostgresNIO

/// `ha.postgres.dsn_file`'s content: a libpq connection URI,
/// `postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=disable|prefer|require` (percent-encoded
/// parts, `postgresql://` too, port 5432 by default), or `host=/socket/dir` for a Unix socket.
/// The password lives only in that file and is never logged: errors name the file, not its text.
package enum PostgresDSN {
    package static func configuration(_ text: String, path: String) throws(PostgresDSNError) -> PostgresClient.Configuration {
        let line = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !line.contains("\n") else { throw PostgresDSNError(path: path, reason: "holds more than one line") }
        guard let components = URLComponents(string: line), ["postgres", "postgresql"].contains(components.scheme ?? "") else {
            throw PostgresDSNError(path: path, reason: "is not a postgres://USER:PASSWORD@HOST:PORT/DATABASE URI")
        }
        guard let user = components.user.flatMap({ $0.removingPercentEncoding }), !user.isEmpty else {
            throw PostgresDSNError(path: path, reason: "names no user (postgres://USER@HOST/DATABASE)")
        }
        let password = components.password.flatMap { $0.removingPercentEncoding }
        var database = String(components.path.drop { $0 == "/" }).removingPercentEncoding
        if database?.isEmpty == true { database = nil }
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        if let socketDirectory = query["host"], socketDirectory.hasPrefix("/") {
            let port = components.port ?? 5432
            return PostgresClient.Configuration(
                unixSocketPath: socketDirectory + "/.s.PGSQL.\(port)",
                username: user,
                password: password,
                database: database
            )
        }
        guard let host = components.host, !host.isEmpty else { throw PostgresDSNError(path: path, reason: "names no host") }
        let tls: PostgresClient.Configuration.TLS
        switch query["sslmode"] ?? "prefer" {
        case "disable": tls = .disable
        case "prefer", "allow": tls = .prefer(.makeClientConfiguration())
        case "require", "verify-ca", "verify-full": tls = .require(.makeClientConfiguration())
        case let mode: throw PostgresDSNError(path: path, reason: "has sslmode=\(mode); use disable, prefer or require")
        }
        return PostgresClient.Configuration(
            host: host,
            port: components.port ?? 5432,
            username: user,
            password: password,
            database: database,
            tls: tls
        )
    }
}

/// A DSN file that cannot be used; names the file and what is wrong, never its content.
package struct PostgresDSNError: Error, CustomStringConvertible {
    package var path: String
    package var reason: String
    package var description: String { "\(path): the PostgreSQL DSN \(reason)" }
}
