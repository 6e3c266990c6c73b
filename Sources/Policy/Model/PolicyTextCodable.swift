/// A policy value written as text (`15s`, `25%`, `error_ratio > 0.05`), coded as that text so
/// JSON shows it as a policy file does, and read back with the loader's own parser so JSON
/// accepts exactly the spellings YAML does, with the same messages.
protocol PolicyTextCodable: Codable, CustomStringConvertible {
    /// Why a text was rejected; its description is the message shown.
    associatedtype ParseFailure: Error
    /// The parser the loader uses for this value.
    init(parsing text: String) throws(ParseFailure)
}

extension PolicyTextCodable {
    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try Self(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(error)")
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
