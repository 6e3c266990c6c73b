import Policy

/// A model value a policy key holds directly: read from its schema-checked form and written back
/// as the policy file writes it, so one key declaration gives the loader and the document both.
protocol PolicyValue {
    /// The value from its checked form, or `nil` when the key's schema kind produces another
    /// type (a mistake in the key table, caught by the loader's assertion).
    init?(checked: CheckedValue)
    /// The value as a policy file writes it.
    var document: PolicyDocument { get }
}

extension String: PolicyValue {
    init?(checked: CheckedValue) {
        guard case .text(let text) = checked else { return nil }
        self = text
    }

    var document: PolicyDocument { .text(self) }
}

extension Int: PolicyValue {
    init?(checked: CheckedValue) {
        guard case .integer(let value) = checked else { return nil }
        self = value
    }

    var document: PolicyDocument { .integer(self) }
}

extension Double: PolicyValue {
    init?(checked: CheckedValue) {
        switch checked {
        case .number(let value): self = value
        case .integer(let value): self = Double(value)
        default: return nil
        }
    }

    var document: PolicyDocument { .number(self) }
}

extension Bool: PolicyValue {
    init?(checked: CheckedValue) {
        guard case .boolean(let value) = checked else { return nil }
        self = value
    }

    var document: PolicyDocument { .boolean(self) }
}

extension PolicyDuration: PolicyValue {
    init?(checked: CheckedValue) {
        guard case .duration(let value) = checked else { return nil }
        self = value
    }

    var document: PolicyDocument { .text(description) }
}

extension Percent: PolicyValue {
    init?(checked: CheckedValue) {
        guard case .percent(let value) = checked else { return nil }
        self = value
    }

    var document: PolicyDocument { .text(description) }
}

extension BackendAddress: PolicyValue {
    init?(checked: CheckedValue) {
        guard case .address(let value) = checked else { return nil }
        self = value
    }

    var document: PolicyDocument { .text(description) }
}

extension SignalCondition: PolicyValue {
    init?(checked: CheckedValue) {
        guard case .condition(let value) = checked else { return nil }
        self = value
    }

    var document: PolicyDocument { .text(description) }
}

/// A list of values, or a command's arguments (`argv` checks its own shape).
extension Array: PolicyValue where Element: PolicyValue {
    init?(checked: CheckedValue) {
        switch checked {
        case .argv(let words):
            guard let words = words as? [Element] else { return nil }
            self = words
        case .list(let items):
            var values: [Element] = []
            for item in items {
                guard let value = Element(checked: item.value) else { return nil }
                values.append(value)
            }
            self = values
        default:
            return nil
        }
    }

    var document: PolicyDocument { .list(map(\.document)) }
}

/// A word from a fixed set (`enumeration` in the schema).
protocol PolicyWord: PolicyValue, RawRepresentable, CaseIterable where RawValue == String {}

extension PolicyWord {
    init?(checked: CheckedValue) {
        guard case .text(let word) = checked else { return nil }
        self.init(rawValue: word)
    }

    var document: PolicyDocument { .text(rawValue) }

    /// The schema kind listing every word.
    static var enumeration: SchemaKind { .enumeration(allCases.map(\.rawValue)) }
}

extension WeightStrategy: PolicyWord {}
extension FailbackMode: PolicyWord {}
extension ScalingSelect: PolicyWord {}
extension ReplayModelOutput: PolicyWord {}
extension BalanceAlgorithm: PolicyWord {}
