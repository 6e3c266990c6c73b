import Foundation

/// How a request authenticates: a bearer token or basic authentication, each secret kept in a
/// file and read when the request is made, so a rotated secret is picked up and none sits in a
/// policy, a configuration or a log. Scrapes and remote queries share it.
package struct HTTPCredentials: Sendable, Hashable {
    /// A file holding the token sent as `Authorization: Bearer`.
    package var bearerTokenFile: String?
    package var basicAuth: BasicAuthFiles?

    package init(bearerTokenFile: String? = nil, basicAuth: BasicAuthFiles? = nil) {
        self.bearerTokenFile = bearerTokenFile
        self.basicAuth = basicAuth
    }

    /// Adds the credentials to `request`, reading their files now.
    package func authorize(_ request: inout FetchRequest) throws(SecretFileError) {
        if let file = bearerTokenFile {
            request.headers.append("Authorization: Bearer \(try Self.secret(file, what: "bearer_token_file"))")
        }
        if let auth = basicAuth {
            request.basicAuth = (auth.username, try Self.secret(auth.passwordFile, what: "basic_auth.password_file"))
        }
    }

    /// A one-line secret from its file, trimmed of surrounding whitespace as Prometheus trims it
    /// (the newline editors add, stray spaces).
    static func secret(_ path: String, what: String) throws(SecretFileError) -> String {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw SecretFileError(message: "cannot read \(what) \(path)")
        }
        let secret = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !secret.contains(where: { $0 == "\n" || $0 == "\r" }) else {
            throw SecretFileError(message: "\(what) \(path) holds more than one line")
        }
        guard !secret.isEmpty, !secret.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw SecretFileError(message: "\(what) \(path) is empty or holds control characters")
        }
        return secret
    }
}

/// Basic authentication: the password is read from a file at each request.
package struct BasicAuthFiles: Sendable, Hashable {
    package var username: String
    package var passwordFile: String

    package init(username: String, passwordFile: String) {
        self.username = username
        self.passwordFile = passwordFile
    }
}

/// A secret file that cannot be used (unreadable, or more than one line); names the file, never
/// its contents.
package struct SecretFileError: Error, CustomStringConvertible {
    package var message: String
    package var description: String { message }
}
