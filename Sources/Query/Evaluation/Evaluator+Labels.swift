import Regexp
import Store

extension Evaluator {
    /// `label_replace(v, dst, replacement, src, regex)`: where `regex` matches all of `src`'s
    /// value, `dst` becomes the expanded replacement (removed when empty); otherwise unchanged.
    func labelReplace(_ input: [VectorSample], _ arguments: [String]) throws -> [VectorSample] {
        let (destination, replacement, source, pattern) = (arguments[0], arguments[1], arguments[2], arguments[3])
        let regex: Regexp
        do {
            regex = try Regexp("^(?:" + pattern + ")$")
        } catch {
            throw EvaluationError(.execution, "invalid regular expression in label_replace(): \(pattern)")
        }
        guard Self.isValidLabelName(destination) else {
            throw EvaluationError(.execution, "invalid destination label name in label_replace(): \(destination)")
        }
        return input.map { sample in
            let value = sample.labels[source] ?? ""
            guard let groups = regex.wholeMatchGroups(value) else { return sample }
            let expanded = Self.expand(replacement, groups, regex: regex)
            return VectorSample(labels: sample.labels.setting(destination, to: expanded), value: sample.value, timestamp: sample.timestamp)
        }
    }

    /// `label_join(v, dst, separator, src...)`: `dst` becomes the `src` values joined.
    func labelJoin(_ input: [VectorSample], _ arguments: [String]) throws -> [VectorSample] {
        let (destination, separator, sources) = (arguments[0], arguments[1], Array(arguments.dropFirst(2)))
        guard Self.isValidLabelName(destination) else {
            throw EvaluationError(.execution, "invalid destination label name in label_join(): \(destination)")
        }
        if let invalid = sources.first(where: { !Self.isValidLabelName($0) }) {
            throw EvaluationError(.execution, "invalid source label name in label_join(): \(invalid)")
        }
        return input.map { sample in
            let joined = sources.map { sample.labels[$0] ?? "" }.joined(separator: separator)
            return VectorSample(labels: sample.labels.setting(destination, to: joined), value: sample.value, timestamp: sample.timestamp)
        }
    }

    /// Go's `Regexp.Expand`: `$1`, `${1}`, `$name`, `${name}` and `$$`; a name takes the longest
    /// run of letters, digits and `_`; a number with a leading zero (`$01`) is a name, as in Go;
    /// an unknown group expands to nothing.
    private static func expand(_ template: String, _ groups: [Substring?], regex: Regexp) -> String {
        var out = ""
        var rest = Substring(template)
        while let dollar = rest.firstIndex(of: "$") {
            out += rest[..<dollar]
            rest = rest[rest.index(after: dollar)...]
            if rest.first == "$" {
                out += "$"
                rest = rest.dropFirst()
                continue
            }
            let name: Substring
            if rest.first == "{", let close = rest.firstIndex(of: "}") {
                name = rest[rest.index(after: rest.startIndex)..<close]
                rest = rest[rest.index(after: close)...]
            } else {
                name = rest.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
                rest = rest.dropFirst(name.count)
            }
            if name.isEmpty {
                out += "$"
                continue
            }
            let isNumber = name.allSatisfy(\.isASCII) && name.allSatisfy(\.isNumber) && (name.count == 1 || name.first != "0")
            let index = isNumber ? Int(name) : regex.groupIndex(named: String(name))
            if let index, index < groups.count, let capture = groups[index] { out += capture }
        }
        return out + rest
    }
}
