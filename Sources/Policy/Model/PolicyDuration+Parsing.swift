extension PolicyDuration {
    /// Parses a Prometheus-style duration: whole numbers each followed by a unit, largest unit
    /// first, each unit at most once (`500ms`, `15s`, `1m30s`, `2h`, `1d`). `0` alone is zero.
    public init(parsing text: String) throws(PolicyValueError) {
        if text == "0" {
            self = .zero
            return
        }
        let invalid = PolicyValueError.invalidDuration(text)
        var scalars = Substring(text).unicodeScalars[...]
        var total: Int64 = 0
        var lastUnitIndex = -1
        guard !scalars.isEmpty else { throw invalid }
        while !scalars.isEmpty {
            let digits = scalars.prefix { ("0"..."9").contains($0) }
            guard !digits.isEmpty, digits.count <= 12, let amount = Int64(String(digits)) else { throw invalid }
            scalars = scalars.dropFirst(digits.count)
            let letters = String(scalars.prefix { ("a"..."z").contains($0) })
            guard let unitIndex = PolicyDuration.units.firstIndex(where: { $0.0 == letters }), unitIndex > lastUnitIndex else {
                throw invalid
            }
            scalars = scalars.dropFirst(letters.unicodeScalars.count)
            lastUnitIndex = unitIndex
            let (product, overflowProduct) = amount.multipliedReportingOverflow(by: PolicyDuration.units[unitIndex].1)
            let (sum, overflowSum) = total.addingReportingOverflow(product)
            guard !overflowProduct, !overflowSum else { throw invalid }
            total = sum
        }
        self.init(milliseconds: total)
    }
}

extension Percent {
    /// Parses a percentage written with its sign: `25%`, `12.5%`, `-50%`.
    public init(parsing text: String) throws(PolicyValueError) {
        guard text.hasSuffix("%") else { throw .invalidPercent(text) }
        let number = text.dropLast()
        guard let first = number.unicodeScalars.first, first == "-" || ("0"..."9").contains(first),
            number.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || $0 == "." || $0 == "-" }),
            let value = Double(number), value.isFinite
        else { throw .invalidPercent(text) }
        self.init(value)
    }
}
