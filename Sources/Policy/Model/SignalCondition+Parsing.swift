extension SignalCondition {
    /// Parses `signal OP number` (`error_ratio > 0.05`); spaces around the operator are optional.
    /// The signal name is only checked for its spelling here; the loader checks it is defined.
    package init(parsing text: String) throws(SignalConditionError) {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        func skipSpaces() {
            while index < scalars.count, scalars[index] == " " { index += 1 }
        }
        skipSpaces()
        let nameStart = index
        while index < scalars.count, SignalCondition.isNameScalar(scalars[index]) { index += 1 }
        let name = String(String.UnicodeScalarView(scalars[nameStart..<index]))
        guard SignalCondition.isValidName(name) else { throw .missingSignal(text) }
        skipSpaces()
        let operatorStart = index
        while index < scalars.count, "<>=!".unicodeScalars.contains(scalars[index]) { index += 1 }
        let operatorText = String(String.UnicodeScalarView(scalars[operatorStart..<index]))
        guard let comparison = Comparison(rawValue: operatorText) else { throw .invalidOperator(text) }
        let number = String(String.UnicodeScalarView(scalars[index...])).trimmingSpaces()
        guard let threshold = Double(number), threshold.isFinite else { throw .invalidThreshold(text) }
        self.init(signal: name, comparison: comparison, threshold: threshold)
    }

    /// Whether `name` is spelled as a signal name: a letter or underscore, then letters, digits, underscores.
    package static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy(isNameScalar)
    }

    private static func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_": true
        default: false
        }
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
