import Foundation
import Policy

/// The policy file's JSON Schema (draft 2020-12), generated from the loader's own schema table so
/// editors complete and check exactly the keys `ballast check` accepts.
package enum PolicyJSONSchema {
    /// The schema as pretty-printed JSON with sorted keys.
    package static var text: String {
        var document = json(for: PolicySchema.root)
        document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        document["title"] = "Ballast pool policy"
        // Only strings, numbers, booleans, arrays and dictionaries are built above, which
        // JSONSerialization always accepts.
        let data = try! JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    private static func json(for node: SchemaNode) -> [String: Any] {
        var schema = json(for: node.kind)
        schema["description"] = node.summary
        if let defaultValue = node.defaultValue { schema["default"] = defaultValue.jsonObject }
        return schema
    }

    private static func json(for kind: SchemaKind) -> [String: Any] {
        switch kind {
        case .string(let format):
            return json(for: format)
        case .integer(let range):
            return ["type": "integer", "minimum": range.lowerBound, "maximum": range.upperBound]
        case .number(let range, let exclusiveMinimum):
            var schema: [String: Any] = ["type": "number"]
            if range.lowerBound > -.greatestFiniteMagnitude { schema[exclusiveMinimum ? "exclusiveMinimum" : "minimum"] = range.lowerBound }
            if range.upperBound < .greatestFiniteMagnitude { schema["maximum"] = range.upperBound }
            return schema
        case .duration:
            return ["type": "string", "pattern": durationPattern]
        case .percent:
            return ["type": "string", "pattern": percentPattern]
        case .percentOrNumber(let range):
            return [
                "oneOf": [
                    ["type": "string", "pattern": percentPattern], ["type": "number", "minimum": range.lowerBound, "maximum": range.upperBound],
                ]
            ]
        case .durationOrNumber:
            return ["oneOf": [["type": "string", "pattern": durationPattern], ["type": "number", "minimum": 0]]]
        case .address:
            return json(for: StringFormat.address)
        case .condition:
            return ["type": "string", "pattern": #"^\s*[A-Za-z_][A-Za-z0-9_]*\s*(<=|>=|==|!=|<|>)\s*-?[0-9.eE+-]+\s*$"#]
        case .enumeration(let words):
            return ["type": "string", "enum": words]
        case .boolean:
            return ["type": "boolean"]
        case .argv:
            return ["type": "array", "items": ["type": "string"], "minItems": 1]
        case .list(let item, let minimumCount):
            return ["type": "array", "items": json(for: item), "minItems": minimumCount]
        case .map(let key, let value):
            return ["type": "object", "propertyNames": json(for: key), "additionalProperties": json(for: value)]
        case .objectOr(let word, let fields):
            return ["oneOf": [["type": "string", "enum": [word]], json(for: SchemaNode(.object(fields), ""))]]
        case .object(let fields):
            var properties: [String: Any] = [:]
            for field in fields { properties[field.name] = json(for: field.node) }
            var schema: [String: Any] = ["type": "object", "properties": properties, "additionalProperties": false]
            let required = fields.filter(\.required).map(\.name)
            if !required.isEmpty { schema["required"] = required }
            return schema
        }
    }

    private static func json(for format: StringFormat) -> [String: Any] {
        switch format {
        case .identifier: ["type": "string", "pattern": "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$"]
        case .signalName: ["type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"]
        case .path: ["type": "string", "minLength": 1]
        case .urlPath: ["type": "string", "pattern": "^/[A-Za-z0-9._~/%?=&+-]*$"]
        case .promQL: ["type": "string", "minLength": 1]
        case .address: ["type": "string", "pattern": #"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):[0-9]{1,5}$"#]
        case .text: ["type": "string"]
        case .labelName: ["type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"]
        case .hashKey: ["type": "string", "pattern": "^[A-Za-z0-9$_:./-]{1,256}$"]
        case .byteSize: ["type": ["string", "integer"], "pattern": "^[0-9]+(KiB|MiB|GiB|TiB|KB|MB|GB|TB|B)?$"]
        }
    }

    private static let durationPattern = "^(0|(?=[0-9])([0-9]+y)?([0-9]+w)?([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?([0-9]+ms)?)$"
    private static let percentPattern = "^-?[0-9]+(\\.[0-9]+)?%$"
}
