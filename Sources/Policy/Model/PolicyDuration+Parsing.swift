import Durations

extension PolicyDuration {
    /// Parses a duration in the one grammar Ballast reads everywhere (`PrometheusDuration`:
    /// `500ms`, `15s`, `1m30s`, `2h`, `1d`; `0` alone is zero).
    package init(parsing text: String) throws(PolicyValueError) {
        guard let milliseconds = PrometheusDuration.parse(text) else { throw .invalidDuration(text) }
        self.init(milliseconds: milliseconds)
    }
}

extension Percent {
    /// Parses a percentage written with its sign: `25%`, `12.5%`, `-50%`.
    package init(parsing text: String) throws(PolicyValueError) {
        guard text.hasSuffix("%") else { throw .invalidPercent(text) }
        let number = text.dropLast()
        guard let first = number.unicodeScalars.first, first == "-" || ("0"..."9").contains(first),
            number.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || $0 == "." || $0 == "-" }),
            let value = Double(number), value.isFinite
        else { throw .invalidPercent(text) }
        self.init(value)
    }
}
