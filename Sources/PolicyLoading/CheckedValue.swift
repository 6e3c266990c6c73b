import Policy

/// A YAML value that passed its schema check, already converted to its typed form.
///
/// The schema checker produces these so the model builder only deals with well-typed values and
/// their positions; a value that failed its check is absent (its error is already reported).
indirect enum CheckedValue {
    case text(String)
    case integer(Int)
    case number(Double)
    case duration(PolicyDuration)
    case percent(Percent)
    case address(BackendAddress)
    case condition(SignalCondition)
    case boolean(Bool)
    case argv([String])
    case list([Checked])
    case map([CheckedMapEntry])
    case object(CheckedObject)
}

/// A checked value and where it was written.
struct Checked {
    var value: CheckedValue
    var position: SourcePosition
}

/// One entry of a checked map: the key (text or address) and its value.
struct CheckedMapEntry {
    var key: Checked
    var value: Checked
}

/// A checked mapping with known keys.
struct CheckedObject {
    /// Where the mapping starts; missing-key errors point here.
    var position: SourcePosition
    /// The dotted key path of the mapping (`scaling.up`), empty for the root.
    var keyPath: String
    /// The values that passed their checks, by key.
    var fields: [String: Checked]
    /// Where every known key was written, valid or not, so the builder knows a key was present.
    var keyPositions: [String: SourcePosition]

    func has(_ key: String) -> Bool { keyPositions[key] != nil }

    /// Whether `key` was written but its value failed its check.
    func isInvalid(_ key: String) -> Bool { has(key) && fields[key] == nil }

    func text(_ key: String) -> String? {
        if case .text(let value)? = fields[key]?.value { return value }
        return nil
    }

    func boolean(_ key: String) -> Bool? {
        if case .boolean(let value)? = fields[key]?.value { return value }
        return nil
    }

    func integer(_ key: String) -> Int? {
        if case .integer(let value)? = fields[key]?.value { return value }
        return nil
    }

    func number(_ key: String) -> Double? {
        switch fields[key]?.value {
        case .number(let value)?: value
        case .integer(let value)?: Double(value)
        default: nil
        }
    }

    func duration(_ key: String) -> PolicyDuration? {
        if case .duration(let value)? = fields[key]?.value { return value }
        return nil
    }

    func percent(_ key: String) -> Percent? {
        if case .percent(let value)? = fields[key]?.value { return value }
        return nil
    }

    func address(_ key: String) -> BackendAddress? {
        if case .address(let value)? = fields[key]?.value { return value }
        return nil
    }

    func condition(_ key: String) -> SignalCondition? {
        if case .condition(let value)? = fields[key]?.value { return value }
        return nil
    }

    func argv(_ key: String) -> [String]? {
        if case .argv(let value)? = fields[key]?.value { return value }
        return nil
    }

    func list(_ key: String) -> [Checked]? {
        if case .list(let value)? = fields[key]?.value { return value }
        return nil
    }

    func map(_ key: String) -> [CheckedMapEntry]? {
        if case .map(let value)? = fields[key]?.value { return value }
        return nil
    }

    func object(_ key: String) -> CheckedObject? {
        if case .object(let value)? = fields[key]?.value { return value }
        return nil
    }

    /// Where `key`'s value was written, or the mapping's position if it is absent.
    func position(of key: String) -> SourcePosition {
        fields[key]?.position ?? keyPositions[key] ?? position
    }

    /// The dotted path of `key` inside this mapping, for messages.
    func path(_ key: String) -> String {
        keyPath.isEmpty ? key : "\(keyPath).\(key)"
    }
}
