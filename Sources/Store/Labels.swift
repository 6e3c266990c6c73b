/// One label pair of a series.
package struct Label: Hashable, Sendable, Comparable {
    package var name: String
    package var value: String

    package init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// Byte for byte, as Prometheus compares label strings. `String`'s own equality holds
    /// canonically equivalent spellings equal (é as one scalar, or as e and a combining accent),
    /// which merged two series Prometheus keeps apart.
    package static func == (lhs: Label, rhs: Label) -> Bool {
        LabelBytes.equal(lhs.name, rhs.name) && LabelBytes.equal(lhs.value, rhs.value)
    }

    package func hash(into hasher: inout Hasher) {
        LabelBytes.combine(name, into: &hasher)
        LabelBytes.combine(value, into: &hasher)
    }

    /// In byte order, as Go sorts strings.
    package static func < (lhs: Label, rhs: Label) -> Bool {
        LabelBytes.equal(lhs.name, rhs.name)
            ? lhs.value.utf8.lexicographicallyPrecedes(rhs.value.utf8) : lhs.name.utf8.lexicographicallyPrecedes(rhs.name.utf8)
    }
}

/// Label names and values compared and hashed by their UTF-8 bytes, as Prometheus compares
/// them (`Label.==` says why `String`'s own equality will not do).
enum LabelBytes {
    static func equal(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.elementsEqual(rhs.utf8)
    }

    static func combine(_ text: String, into hasher: inout Hasher) {
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        hasher.combine(text.utf8.count)
    }
}

/// The identity of a series in its canonical form: the metric name as `__name__` plus every
/// label, sorted by name, with empty values dropped — as Prometheus storage does, so that the
/// same series always compares, hashes and stores equal however it was exposed.
package struct Labels: Hashable, Sendable, CustomStringConvertible {
    /// The reserved label that carries the metric name.
    package static let metricNameLabel = "__name__"

    /// The pairs, sorted by name, names unique, no empty values.
    package private(set) var pairs: [Label]

    /// Builds the canonical form; a later duplicate name wins over an earlier one.
    package init(_ pairs: some Sequence<Label>) {
        var sorted = pairs.filter { !$0.value.isEmpty }
        sorted.sort { $0.name < $1.name }
        var unique: [Label] = []
        unique.reserveCapacity(sorted.count)
        for pair in sorted {
            if let last = unique.last, last.name == pair.name {
                unique[unique.count - 1] = pair
            } else {
                unique.append(pair)
            }
        }
        self.pairs = unique
    }

    /// Builds the canonical form from a metric name and its labels.
    package init(name: String, _ labels: [String: String] = [:]) {
        self.init([Label(name: Self.metricNameLabel, value: name)] + labels.map { Label(name: $0.key, value: $0.value) })
    }

    /// The value of the label `name`, or nil when the series does not have it.
    package subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// The metric name, when the series has one (results of most functions drop it).
    package var metricName: String? { self[Self.metricNameLabel] }

    /// A copy without the labels whose names are listed.
    package func removing(_ names: Set<String>) -> Labels {
        var copy = self
        copy.pairs.removeAll { names.contains($0.name) }
        return copy
    }

    /// A copy that keeps only the labels whose names are listed.
    package func keeping(_ names: Set<String>) -> Labels {
        var copy = self
        copy.pairs.removeAll { !names.contains($0.name) }
        return copy
    }

    /// A copy with `name` set to `value` (removed when `value` is empty).
    package func setting(_ name: String, to value: String) -> Labels {
        var all = pairs.filter { $0.name != name }
        all.append(Label(name: name, value: value))
        return Labels(all)
    }

    /// The Prometheus notation, `name{a="1", b="2"}`, for messages and logs.
    package var description: String {
        let rest = pairs.filter { $0.name != Self.metricNameLabel }
            .map { "\($0.name)=\"\(Self.escape($0.value))\"" }
            .joined(separator: ", ")
        return (metricName ?? "") + "{" + rest + "}"
    }

    private static func escape(_ value: String) -> String {
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }
}
