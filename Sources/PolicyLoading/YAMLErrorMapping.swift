import Policy
import Yams

/// Turns Yams' errors into a position and a one-line message.
enum YAMLErrorMapping {
    static func describe(_ error: any Error, in yaml: String) -> (SourcePosition, String) {
        guard let error = error as? YamlError else { return (.start, "cannot read the policy as YAML: \(error)") }
        switch error {
        case .composer(_, "but found another document", let mark, _):
            return (SourcePosition(mark), "a policy file holds one YAML document; move this one into its own file")
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let while_ = context.map { " (\($0.text) at line \($0.mark.line), column \($0.mark.column))" } ?? ""
            return (SourcePosition(mark), "invalid YAML: \(problem)\(while_)")
        case .reader(let problem, let offset, _, _):
            return (position(ofUTF8Offset: offset ?? 0, in: yaml), "invalid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.first ?? "?"
            let first = SourcePosition(context.mark)
            let repeated = position(ofRepeatedKey: key, after: first, in: yaml) ?? first
            return (repeated, "duplicate key \(key.quotedForMessage) (first at line \(first.line)); each key may appear once in a mapping")
        default:
            return (.start, "cannot read the policy as YAML: \(error)")
        }
    }

    private static func position(ofUTF8Offset offset: Int, in yaml: String) -> SourcePosition {
        var position = SourcePosition.start
        for scalar in String(decoding: yaml.utf8.prefix(offset), as: UTF8.self).unicodeScalars {
            if scalar == "\n" {
                position.line += 1
                position.column = 1
            } else {
                position.column += 1
            }
        }
        return position
    }

    /// Yams only reports where a duplicated key first appears; the repetition is the next line at
    /// the same indentation that starts with the same key.
    private static func position(ofRepeatedKey key: String, after first: SourcePosition, in yaml: String) -> SourcePosition? {
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        guard first.line < lines.count else { return nil }
        let indent = first.column - 1
        for index in first.line..<lines.count {
            let line = lines[index]
            let scalars = line.unicodeScalars
            guard scalars.count > indent else { continue }
            let leading = scalars.prefix(indent)
            if !leading.allSatisfy({ $0 == " " || $0 == "-" }) { return nil }
            let rest = String(String.UnicodeScalarView(scalars.dropFirst(indent)))
            if rest.first == " " { continue }
            for spelling in [key, "\"\(key)\"", "'\(key)'"] where rest.hasPrefix(spelling) {
                if rest.dropFirst(spelling.count).drop(while: { $0 == " " }).first == ":" {
                    return SourcePosition(line: index + 1, column: first.column)
                }
            }
        }
        return nil
    }
}
