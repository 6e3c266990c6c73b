/// The backends of a pool: a fixed list, a Prometheus `file_sd` file, or both.
package struct BackendSource: Sendable, Hashable {
    /// Backends listed in the policy itself.
    package var staticAddresses: [BackendAddress]
    /// A Prometheus file_sd JSON file whose targets join the pool, reloaded on change.
    package var fileSD: String?

    /// Creates a source from a static list and an optional file_sd path.
    package init(staticAddresses: [BackendAddress] = [], fileSD: String? = nil) {
        self.staticAddresses = staticAddresses
        self.fileSD = fileSD
    }
}

/// `static` is left out when empty, since a policy's `static` list needs at least one address.
extension BackendSource: Codable {
    enum CodingKeys: String, CodingKey {
        case staticAddresses = "static"
        case fileSD = "file_sd"
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            staticAddresses: try container.decodeIfPresent([BackendAddress].self, forKey: .staticAddresses) ?? [],
            fileSD: try container.decodeIfPresent(String.self, forKey: .fileSD)
        )
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if !staticAddresses.isEmpty { try container.encode(staticAddresses, forKey: .staticAddresses) }
        try container.encodeIfPresent(fileSD, forKey: .fileSD)
    }
}
