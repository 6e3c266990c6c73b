extension Unicode.Scalar {
    /// C0 controls and DEL: never copied raw into a message.
    package var isControl: Bool { value < 0x20 || value == 0x7f }
}

extension String {
    /// The longest prefix of a value a message quotes: enough to recognise it, while a hostile
    /// file (a megabyte string aliased a thousand times) cannot blow up the diagnostics.
    package static let quotedPrefixLimit = 120

    /// The text in double quotes with control characters escaped, so hostile input cannot forge
    /// extra diagnostic lines, and cut after `quotedPrefixLimit` characters with its length.
    package var quotedForMessage: String {
        var result = "\""
        var count = 0
        for scalar in unicodeScalars {
            count += 1
            guard count <= Self.quotedPrefixLimit else { continue }
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case _ where scalar.isControl: result += "\\u{\(String(scalar.value, radix: 16))}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return count > Self.quotedPrefixLimit ? result + "…\" (\(count) characters)" : result + "\""
    }
}
