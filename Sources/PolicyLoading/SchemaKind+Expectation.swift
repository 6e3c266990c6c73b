import Policy

extension SchemaKind {
    /// What a value of this kind looks like, for "must be X" messages.
    var expectation: String {
        switch self {
        case .string(let format): format.expectation
        case .integer: "a whole number"
        case .number: "a number"
        case .duration: "a duration such as 15s"
        case .percent: "a percentage such as 25%"
        case .percentOrNumber: "a percentage such as 25% or a number"
        case .durationOrNumber: "a duration such as 10s or a number"
        case .address: "an address host:port"
        case .condition: "a condition such as \"error_ratio > 0.05\""
        case .boolean: "true or false"
        case .enumeration(let words): "one of \(words.joined(separator: ", "))"
        case .argv: "a list of arguments"
        case .list: "a list"
        case .map, .object: "a mapping"
        case .objectOr(let word, _): "a mapping or \(word)"
        }
    }
}

extension StringFormat {
    /// What text of this format looks like.
    var expectation: String {
        switch self {
        case .identifier: "a name of letters, digits, '_', '.' and '-'"
        case .signalName: "a signal name of letters, digits and '_'"
        case .path: "a file path"
        case .urlPath: "an HTTP path such as /metrics"
        case .promQL: "a PromQL expression"
        case .address: "an address host:port"
        case .text: "text"
        case .labelName: "a label name of letters, digits and '_'"
        case .byteSize: "a size such as 16MiB or 10MB"
        case .hashKey: "an nginx variable expression such as $remote_addr"
        }
    }

    /// Why `text` does not fit the format, or `nil` if it does.
    func problem(with text: String) -> String? {
        switch self {
        case .identifier:
            let valid =
                (1...128).contains(text.unicodeScalars.count)
                && text.unicodeScalars.allSatisfy { $0.isASCIIAlphanumeric || "_.-".unicodeScalars.contains($0) }
                && (text.unicodeScalars.first.map { $0.isASCIIAlphanumeric || $0 == "_" } ?? false)
            return valid
                ? nil
                : "\(text.quotedForMessage) is not a valid name; use letters, digits, '_', '.' and '-' (at most 128), starting with a letter, digit or '_'"
        case .signalName:
            return SignalCondition.isValidName(text)
                ? nil : "\(text.quotedForMessage) is not a valid signal name; use letters, digits and '_', not starting with a digit"
        case .path:
            if text.isEmpty { return "the path is empty" }
            return text.unicodeScalars.contains(where: \.isControl) ? "the path \(text.quotedForMessage) contains a control character" : nil
        case .urlPath:
            let valid =
                text.hasPrefix("/")
                && text.unicodeScalars.allSatisfy { $0.isASCIIAlphanumeric || "-._~/%?=&+".unicodeScalars.contains($0) }
            return valid ? nil : "\(text.quotedForMessage) is not a valid HTTP path; start with / and use letters, digits and -._~/%?=&+"
        case .promQL:
            return text.allSatisfy(\.isWhitespace) ? "the expression is empty" : nil
        case .address:
            return nil
        case .text:
            return text.unicodeScalars.contains(where: \.isControl) ? "\(text.quotedForMessage) contains a control character" : nil
        case .labelName:
            let valid =
                !text.hasPrefix("__")
                && (text.unicodeScalars.first.map { $0 == "_" || ("a"..."z").contains($0) || ("A"..."Z").contains($0) } ?? false)
                && text.unicodeScalars.allSatisfy { $0.isASCIIAlphanumeric || $0 == "_" }
            return valid ? nil : "\(text.quotedForMessage) is not a valid label name; use letters, digits and '_', not starting with a digit or '__'"
        case .hashKey:
            let scalars = Array(text.unicodeScalars)
            // Every `$` starts a variable name, as nginx reads it.
            let variablesNamed = scalars.indices.allSatisfy { index in
                scalars[index] != "$" || (index + 1 < scalars.count && (scalars[index + 1].isASCIILetter || scalars[index + 1] == "_"))
            }
            let valid =
                (1...256).contains(scalars.count) && variablesNamed
                && scalars.allSatisfy { $0.isASCIIAlphanumeric || "$_-:./".unicodeScalars.contains($0) }
            return valid
                ? nil
                : "\(text.quotedForMessage) is not a hash key; use nginx variables such as $remote_addr or $cookie_session "
                    + "(letters, digits and $ _ - : . /)"
        case .byteSize:
            return ByteSize.parse(text) == nil ? "\(text.quotedForMessage) is not a size; write e.g. 16MiB, 512KiB, 10MB or a number of bytes" : nil
        }
    }
}

extension Unicode.Scalar {
    var isASCIILetter: Bool {
        switch self {
        case "a"..."z", "A"..."Z": true
        default: false
        }
    }

    var isASCIIAlphanumeric: Bool {
        switch self {
        case "a"..."z", "A"..."Z", "0"..."9": true
        default: false
        }
    }
}
