import Policy
import Yams

/// Walks a composed YAML tree against ``PolicySchema`` and converts every value to its typed
/// form, collecting an error for each value that does not fit instead of stopping at the first.
struct SchemaChecker {
    /// Validates one signal expression; returns a message for an invalid one.
    var validateExpression: PolicyLoader.ExpressionValidator?
    /// The file's lines, to locate problems inside expressions.
    var sourceLines: [Substring]
    /// The problems found so far.
    private(set) var problems: [(SourcePosition, String)] = []

    init(validateExpression: PolicyLoader.ExpressionValidator?, source: String) {
        self.validateExpression = validateExpression
        self.sourceLines = source.split(separator: "\n", omittingEmptySubsequences: false)
    }

    mutating func report(_ message: String, at position: SourcePosition) {
        problems.append((position, message))
    }

    mutating func check(_ node: Node, against schema: SchemaNode, keyPath: String) -> Checked? {
        let position = node.position
        switch schema.kind {
        case .object(let fields):
            return checkObject(node, fields: fields, keyPath: keyPath).map { Checked(value: .object($0), position: position) }
        case .objectOr(let word, let fields):
            if case .scalar(let scalar) = node, node.tagName != .null {
                guard scalar.string == word else {
                    report("\(keyPath) must be \(schema.kind.expectation), not \(node.summary)", at: position)
                    return nil
                }
                return Checked(value: .text(word), position: position)
            }
            return checkObject(node, fields: fields, keyPath: keyPath).map { Checked(value: .object($0), position: position) }
        case .list(let item, let minimumCount):
            guard case .sequence(let sequence) = node else {
                report("\(keyPath) must be a list, not \(node.summary)", at: position)
                return nil
            }
            if sequence.count < minimumCount {
                report("\(keyPath) needs at least \(minimumCount) item\(minimumCount == 1 ? "" : "s")", at: position)
            }
            let items = sequence.enumerated().compactMap { index, element in
                check(element, against: item, keyPath: "\(keyPath)[\(index)]")
            }
            return Checked(value: .list(items), position: position)
        case .map(let keyFormat, let valueSchema):
            guard case .mapping(let mapping) = node else {
                report("\(keyPath) must be a mapping, not \(node.summary)", at: position)
                return nil
            }
            var entries: [CheckedMapEntry] = []
            for (keyNode, valueNode) in mapping {
                let entryPath = "\(keyPath).\(keyNode.string ?? "?")"
                let key = check(keyNode, against: SchemaNode(.string(keyFormat), ""), keyPath: keyPath)
                let value = check(valueNode, against: valueSchema, keyPath: entryPath)
                if let key, let value { entries.append(CheckedMapEntry(key: key, value: value)) }
            }
            return Checked(value: .map(entries), position: position)
        case .argv:
            return checkArgv(node, keyPath: keyPath).map { Checked(value: .argv($0), position: position) }
        default:
            guard case .scalar(let scalar) = node, node.tagName != .null else {
                report("\(keyPath) must be \(schema.kind.expectation), not \(node.summary)", at: position)
                return nil
            }
            return checkScalar(scalar, kind: schema.kind, keyPath: keyPath)
                .map { Checked(value: $0, position: position) }
        }
    }

    private mutating func checkObject(_ node: Node, fields: [SchemaField], keyPath: String) -> CheckedObject? {
        let position = node.position
        guard case .mapping(let mapping) = node else {
            report("\(keyPath.isEmpty ? "the policy" : keyPath) must be a mapping of keys, not \(node.summary)", at: position)
            return nil
        }
        var object = CheckedObject(position: position, keyPath: keyPath, fields: [:], keyPositions: [:])
        for (keyNode, valueNode) in resolvingMergeKeys(mapping, keyPath: keyPath) {
            guard case .scalar(let keyScalar) = keyNode else {
                report("keys must be plain words, not \(keyNode.summary)", at: keyNode.position)
                continue
            }
            let key = keyScalar.string
            let fieldPath = object.path(key)
            guard let field = fields.first(where: { $0.name == key }) else {
                let known = fields.map(\.name)
                let hint =
                    Spelling.hint(for: key, among: known)
                    ?? "; known keys: \(known.joined(separator: ", "))"
                report("unknown key \(key.quotedForMessage)\(keyPath.isEmpty ? "" : " in \(keyPath)")\(hint)", at: keyNode.position)
                continue
            }
            object.keyPositions[key] = keyNode.position
            if let value = check(valueNode, against: field.node, keyPath: fieldPath) {
                object.fields[key] = value
            }
        }
        for field in fields where field.required && object.keyPositions[field.name] == nil {
            let owner = keyPath.isEmpty ? "the policy" : keyPath
            report("\(owner) is missing required key \"\(field.name)\"", at: position)
        }
        return object
    }

    /// The mapping's pairs with YAML merge keys (`<<: *anchor`) expanded: merged pairs fill in
    /// only keys the mapping does not write itself, earlier merged mappings winning.
    private mutating func resolvingMergeKeys(_ mapping: Node.Mapping, keyPath: String) -> [(Node, Node)] {
        var own: [(Node, Node)] = []
        var merged: [(Node, Node)] = []
        for (keyNode, valueNode) in mapping {
            guard keyNode.tagName == .merge else {
                own.append((keyNode, valueNode))
                continue
            }
            let sources: [Node]
            if case .sequence(let sequence) = valueNode {
                sources = Array(sequence)
            } else {
                sources = [valueNode]
            }
            for source in sources {
                guard case .mapping(let mergedMapping) = source else {
                    report(
                        "\(keyPath.isEmpty ? "<<" : keyPath + ".<<") must merge a mapping or a list of mappings, not \(source.summary)",
                        at: source.position
                    )
                    continue
                }
                merged += mergedMapping.map { ($0.key, $0.value) }
            }
        }
        var written = Set(own.compactMap { $0.0.string })
        for pair in merged where written.insert(pair.0.string ?? "").inserted {
            own.append(pair)
        }
        return own
    }

    private mutating func checkArgv(_ node: Node, keyPath: String) -> [String]? {
        guard case .sequence(let sequence) = node else {
            if case .scalar = node, node.tagName != .null {
                report(
                    "\(keyPath) must be a list of arguments such as [./hooks/run.sh, --flag]; commands are never run by a shell",
                    at: node.position
                )
            } else {
                report("\(keyPath) must be a list of arguments, not \(node.summary)", at: node.position)
            }
            return nil
        }
        guard !sequence.isEmpty else {
            report("\(keyPath) must name a program as its first argument", at: node.position)
            return nil
        }
        var arguments: [String] = []
        for (index, element) in sequence.enumerated() {
            guard case .scalar(let scalar) = element, element.tagName != .null else {
                report("\(keyPath)[\(index)] must be a string, not \(element.summary)", at: element.position)
                return nil
            }
            let argument = scalar.string
            if argument.unicodeScalars.contains(where: \.isControl) {
                report("\(keyPath)[\(index)] contains a control character; arguments must be printable text", at: element.position)
                return nil
            }
            if index == 0 && argument.isEmpty {
                report("\(keyPath)[0] must name a program", at: element.position)
                return nil
            }
            arguments.append(argument)
        }
        return arguments
    }

    private mutating func checkScalar(_ scalar: Node.Scalar, kind: SchemaKind, keyPath: String) -> CheckedValue? {
        let text = scalar.string
        let position = SourcePosition(scalar.mark)
        let tag = Node.scalar(scalar).tagName
        func fail(_ message: String) -> CheckedValue? {
            report(message, at: position)
            return nil
        }
        switch kind {
        case .string(let format):
            if let problem = format.problem(with: text) { return fail("\(keyPath): \(problem)") }
            if format == .promQL, let validateExpression, let problem = validateExpression(text) {
                report("\(keyPath) is not valid PromQL: \(problem.message)", at: self.position(of: problem, in: scalar))
                return nil
            }
            if format == .address {
                do {
                    return .address(try BackendAddress(parsing: text))
                } catch {
                    return fail("\(keyPath): invalid address \(text.quotedForMessage): \(error)")
                }
            }
            return .text(text)
        case .integer(let range):
            guard tag == .int, let value = Int.construct(from: scalar) else {
                return fail("\(keyPath) must be a whole number, not \(text.quotedForMessage)")
            }
            guard range.contains(value) else { return fail("\(keyPath) must be between \(range.lowerBound) and \(range.upperBound), not \(value)") }
            return .integer(value)
        case .number(let range, let exclusiveMinimum):
            guard tag == .int || tag == .float, let value = Double.construct(from: scalar), value.isFinite else {
                return fail("\(keyPath) must be a number, not \(text.quotedForMessage)")
            }
            guard range.contains(value), !(exclusiveMinimum && value == range.lowerBound) else {
                return fail("\(keyPath) must be \(Self.describe(range, exclusiveMinimum: exclusiveMinimum)), not \(text)")
            }
            return .number(value)
        case .duration:
            if tag == .int && text != "0" {
                return fail("\(keyPath) needs a unit: write e.g. \(text)s or \(text)ms, not a bare number")
            }
            do {
                return .duration(try PolicyDuration(parsing: text))
            } catch {
                return fail("\(keyPath): \(error)")
            }
        case .durationOrNumber:
            if tag == .int || tag == .float, let value = Double.construct(from: scalar), value.isFinite, value >= 0 {
                return .number(value)
            }
            do {
                return .number(try PolicyDuration(parsing: text).seconds)
            } catch {
                return fail("\(keyPath) must be a non-negative number or a duration such as 10s, not \(text.quotedForMessage)")
            }
        case .percent(let range), .percentOrNumber(let range):
            let percent: Percent
            if case .percentOrNumber = kind, tag == .int || tag == .float, let value = Double.construct(from: scalar), value.isFinite {
                percent = Percent(value)
            } else {
                do {
                    percent = try Percent(parsing: text)
                } catch {
                    return fail("\(keyPath): \(error)")
                }
            }
            guard range.contains(percent.value) else {
                return fail("\(keyPath) must be between \(Percent(range.lowerBound)) and \(Percent(range.upperBound)), not \(text)")
            }
            return .percent(percent)
        case .address:
            do {
                return .address(try BackendAddress(parsing: text))
            } catch {
                return fail("\(keyPath): invalid address \(text.quotedForMessage): \(error)")
            }
        case .condition:
            do {
                return .condition(try SignalCondition(parsing: text))
            } catch {
                return fail("\(keyPath): \(error)")
            }
        case .boolean:
            guard tag == .bool, let value = Bool.construct(from: scalar) else {
                return fail("\(keyPath) must be true or false, not \(text.quotedForMessage)")
            }
            return .boolean(value)
        case .enumeration(let words):
            guard words.contains(text) else {
                let hint = Spelling.hint(for: text, among: words) ?? ""
                return fail("\(keyPath) must be one of \(words.joined(separator: ", ")), not \(text.quotedForMessage)\(hint)")
            }
            return .text(text)
        case .argv, .list, .map, .object, .objectOr:
            return fail("\(keyPath) must be \(kind.expectation), not \(text.quotedForMessage)")
        }
    }

    /// Where an expression's problem is in the file: exact when the problem's line of the
    /// expression is written verbatim in the file (a one-line plain or quoted scalar without
    /// escapes, or any line of a `|` literal block), else the scalar's start.
    private func position(of problem: ExpressionProblem, in scalar: Node.Scalar) -> SourcePosition {
        let start = SourcePosition(scalar.mark)
        let expressionLines = scalar.string.split(separator: "\n", omittingEmptySubsequences: false)
        guard problem.line >= 1, problem.line <= expressionLines.count else { return start }
        let expressionLine = expressionLines[problem.line - 1]
        let fileLine: Int
        let column: Int
        if scalar.style == .literal {
            fileLine = start.line + problem.line
            guard fileLine <= sourceLines.count,
                let firstContent = sourceLines.dropFirst(start.line).first(where: { $0.contains { $0 != " " } })
            else { return start }
            column = firstContent.unicodeScalars.prefix { $0 == " " }.count + 1
        } else {
            guard problem.line == 1, expressionLines.count == 1 else { return start }
            fileLine = start.line
            column = start.column + (scalar.style == .singleQuoted || scalar.style == .doubleQuoted ? 1 : 0)
        }
        guard fileLine <= sourceLines.count,
            sourceLines[fileLine - 1].unicodeScalars.dropFirst(column - 1).starts(with: expressionLine.unicodeScalars)
        else { return start }
        let scalarsBefore = String(decoding: expressionLine.utf8.prefix(max(0, problem.column - 1)), as: UTF8.self).unicodeScalars.count
        return SourcePosition(line: fileLine, column: column + scalarsBefore)
    }

    private static func describe(_ range: ClosedRange<Double>, exclusiveMinimum: Bool) -> String {
        let lower = exclusiveMinimum ? "greater than \(range.lowerBound.compact)" : "at least \(range.lowerBound.compact)"
        if range.upperBound == .greatestFiniteMagnitude { return lower }
        if range.lowerBound == -.greatestFiniteMagnitude { return "at most \(range.upperBound.compact)" }
        return exclusiveMinimum
            ? "greater than \(range.lowerBound.compact) and at most \(range.upperBound.compact)"
            : "between \(range.lowerBound.compact) and \(range.upperBound.compact)"
    }
}

extension Double {
    /// `1` rather than `1.0` in messages.
    var compact: String {
        self == rounded() && Swift.abs(self) < 1e15 ? String(Int64(self)) : String(self)
    }
}

extension SourcePosition {
    init(_ mark: Mark?) {
        self.init(line: mark?.line ?? 1, column: mark?.column ?? 1)
    }
}

extension Node {
    var position: SourcePosition { SourcePosition(mark) }

    /// The resolved tag's name (`Tag.name` itself is not public).
    var tagName: Tag.Name { Tag.Name(rawValue: tag.rawValue) }

    /// What the node is, for "must be X, not Y" messages.
    var summary: String {
        switch self {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        case .scalar(let scalar): tagName == .null ? "empty" : scalar.string.quotedForMessage
        }
    }
}
